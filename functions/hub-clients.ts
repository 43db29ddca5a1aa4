import type { WebClient } from '@slack/web-api';
import type { SecretValues } from '../core/secrets/secret-values';
import type { Policy } from '../core/policy/schema';

/** The policy's Slack settings; a hub deployed without them cannot request approvals. */
export function slackConfig(policy: Policy): NonNullable<Policy['approvals']>['slack'] {
  const slack = policy.approvals?.slack;
  if (!slack) throw new Error('the policy has no approvals.slack section');
  return slack;
}

/**
 * A Slack Web API client with the bot token from Secrets Manager, created on first use; the library
 * itself loads then too, not at cold start. Deployed, it is its own file in the asset's node_modules
 * (WardenFunction's loadedOnFirstUse), which a CommonJS `require` finds there (as index.js of its folder;
 * an `import()` would need the file's named exports, which a bundled CommonJS module does not declare).
 */
export function lazySlack(secrets: SecretValues, botTokenReference: string): () => Promise<WebClient> {
  let client: WebClient | undefined;
  return async () => {
    if (!client) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, from its own file
      const { WebClient: Client } = require('@slack/web-api') as { WebClient: typeof WebClient };
      client = new Client(await secrets.get(botTokenReference));
    }
    return client;
  };
}

/**
 * The secrets a function cannot work without, checked before each invocation through SecretValues'
 * cache (read once, at the first invocation: a read started at cold start would load the SDK's request
 * path into every cold start, for a head start of one call). A missing or blank secret fails every
 * invocation with an error that names it, from the first one on; it is never used as a value.
 */
export function requiredSecrets(secrets: SecretValues, references: readonly string[]): () => Promise<void> {
  return async () => {
    await Promise.all(references.map((reference) => secrets.get(reference)));
  };
}
