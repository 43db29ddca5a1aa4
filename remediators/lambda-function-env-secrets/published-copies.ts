import { type LambdaClient, paginateListAliases, paginateListVersionsByFunction } from '@aws-sdk/client-lambda';

/*
 * Published versions keep the environment they were published with, and aliases point at them: the fix
 * changes $LATEST only, so every version that still holds a moved variable is a copy of the value the fix
 * cannot reach. The owner is told which, by number and alias, never by value.
 */

/** One line per published version that holds any of `names`, with the aliases that route to it. */
export async function publishedCopies(
  lambda: LambdaClient,
  functionName: string,
  current: Readonly<Record<string, string>>,
  names: readonly string[],
): Promise<string[]> {
  const holding: { version: string; names: string[] }[] = [];
  for await (const page of paginateListVersionsByFunction({ client: lambda }, { FunctionName: functionName })) {
    for (const version of page.Versions ?? []) {
      if (!version.Version || version.Version === '$LATEST') continue;
      const variables = version.Environment?.Variables ?? {};
      const held = names
        .filter((name) => variables[name] !== undefined)
        .map((name) => `${name} (${variables[name] === current[name] ? 'the same value' : 'an earlier value'})`);
      if (held.length > 0) holding.push({ version: version.Version, names: held });
    }
  }
  if (holding.length === 0) return [];
  const aliases = new Map<string, string[]>();
  for await (const page of paginateListAliases({ client: lambda }, { FunctionName: functionName })) {
    for (const alias of page.Aliases ?? []) {
      const versions = [alias.FunctionVersion, ...Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {})];
      for (const version of versions) if (version && alias.Name) aliases.set(version, [...(aliases.get(version) ?? []), alias.Name]);
    }
  }
  return holding.map(({ version, names: held }) => {
    const routed = aliases.get(version);
    return `version ${version}${routed ? ` (alias ${routed.join(', ')})` : ''} holds ${held.join(', ')} in plain text: publish a new version from the fixed code and move the aliases to it, then delete version ${version}`;
  });
}
