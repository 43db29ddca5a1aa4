import { findKnownTokenFormat } from './secrets/known-token-formats';

/** Keys whose values never belong in a record, a message or a ticket. */
const SECRET_KEYS = /^(taskToken|task_token|token|secretString|SecretString|password|authorization)$/i;

export const REDACTED = '[REDACTED]';

/**
 * Defence in depth: values are redacted at the source (detectors keep only names and fingerprints), and
 * everything written to the audit trail, Slack or a ticket passes through here too: a string that
 * looks like a credential, or a value under a secret-bearing key, is replaced.
 */
export function redact<T>(value: T): T {
  if (typeof value === 'string') return (findKnownTokenFormat(value) ? REDACTED : value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redact(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, SECRET_KEYS.test(key) ? REDACTED : redact(entry)])) as T;
  }
  return value;
}
