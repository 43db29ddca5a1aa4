import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { WardenError } from '../errors';
import { secretName } from '../policy/formats';

export class SecretUnavailableError extends WardenError {
  override name = 'SecretUnavailableError';
}

/**
 * Reads `secret:<name>` references from Secrets Manager, caching each value for a few minutes per
 * container so hot paths (Slack's 3-second budget) pay for one read. Values never leave this cache
 * except to the caller; errors name the secret, never its value.
 */
export class SecretValues {
  private readonly cache = new Map<string, { value: string; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(reference: string): Promise<string> {
    const name = secretName(reference);
    const cached = this.cache.get(name);
    if (cached && cached.until > this.now()) return cached.value;
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: name }));
    if (SecretString === undefined) throw new SecretUnavailableError(`secret ${name} has no string value`);
    // An empty secret would sign, or verify, anything with an empty key: a configuration error, never a value.
    if (SecretString.trim().length === 0) throw new SecretUnavailableError(`secret ${name} is empty: store the value in Secrets Manager`);
    this.cache.set(name, { value: SecretString, until: this.now() + this.ttlMs });
    return SecretString;
  }

  /** A JSON secret's string fields, each required and not blank, e.g. `email` and `apiToken` for Jira. */
  async getJson<Field extends string>(reference: string, fields: readonly Field[]): Promise<Record<Field, string>> {
    const value = await this.get(reference);
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new SecretUnavailableError(`secret ${secretName(reference)} is not JSON`);
    }
    const object = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    for (const field of fields) {
      const entry = object[field];
      if (typeof entry !== 'string' || entry.trim().length === 0)
        throw new SecretUnavailableError(`secret ${secretName(reference)} lacks the field "${field}" (a non-empty string)`);
    }
    return object as Record<Field, string>;
  }
}
