/*
 * How a policy names a KMS key: `alias/<name>`, an alias ARN, a key id or a key ARN. KMS authorizes a
 * call on the key, never on an alias, so a grant for a key named by alias is any key of the account
 * that has that alias (kms:ResourceAliases).
 */

/** An AWS managed key (`alias/aws/sns`), named by its alias or its alias ARN. */
export const isAwsManagedKey = (kmsKey: string) => /(^|:)alias\/aws\//.test(kmsKey);

/** `arn:…:alias/orders` → `alias/orders`; `alias/orders` as it is; a key id or key ARN → undefined. */
export const aliasOf = (kmsKey: string) =>
  /^arn:[^:]+:kms:[^:]*:\d*:(alias\/.+)$/.exec(kmsKey)?.[1] ?? (kmsKey.startsWith('alias/') ? kmsKey : undefined);

/** The IAM statement's resource and condition for a key the policy names (in the stacks' ARN templates). */
export function keyGrant(kmsKey: string): { resources: string[]; conditions?: Record<string, Record<string, string>> } {
  const alias = aliasOf(kmsKey);
  if (alias)
    return {
      resources: ['arn:{partition}:kms:{region}:{account}:key/*'],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
    };
  return { resources: [kmsKey.startsWith('arn:') ? kmsKey : `arn:{partition}:kms:{region}:{account}:key/${kmsKey}`] };
}
