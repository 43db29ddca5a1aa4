import { fingerprint } from '../../core/finding';
import { findKnownTokenFormat } from '../../core/secrets/known-token-formats';
import { notSecretReason } from './allowlist';
import { characterClasses, shannonEntropy } from './entropy';
import { secretNameKind } from './secret-names';
import { secretlintMatches } from './secretlint-rules';

/** A variable that holds a plaintext secret: its name, the rule that matched and a fingerprint. Never the value. */
export interface SecretMatch {
  readonly name: string;
  readonly rule: string;
  readonly fingerprint: string;
}

export interface ScanOptions {
  /** Variable names never reported. */
  readonly ignoreVariables?: readonly string[];
}

/** Values shorter than this are never judged secrets (flags, ports, short ids). */
export const MIN_SECRET_LENGTH = 8;

/**
 * The rule a value breaks, if any. In order: Warden's known token formats and secretlint's recommended
 * rules (a match is conclusive wherever it appears), then the allowlist (references, identifiers, plain
 * config), then a secret-like name with a value that looks machine-made (passwords need less: people
 * choose them).
 */
export async function secretRule(name: string, value: string): Promise<string | undefined> {
  if (value.trim().length < MIN_SECRET_LENGTH) return undefined;
  const known = findKnownTokenFormat(value);
  if (known) return `format:${known.id}`;
  const [secretlintRule] = await secretlintMatches(name, value);
  if (secretlintRule) return secretlintRule.replace('@secretlint/secretlint-rule-', 'secretlint:');
  if (notSecretReason(value, MIN_SECRET_LENGTH) || /\s/.test(value.trim())) return undefined;
  const kind = secretNameKind(name);
  if (kind === 'password' && characterClasses(value) >= 2) return 'name:password';
  if (kind === 'secret' && looksRandom(value)) return 'name:high-entropy';
  return undefined;
}

/** Long enough, varied enough and with digits: machine-made, not a word or a slug. */
function looksRandom(value: string): boolean {
  return value.length >= 16 && /\d/.test(value) && characterClasses(value) >= 2 && shannonEntropy(value) >= 3.2;
}

/** Every variable that holds a plaintext secret, sorted by name. */
export async function scanVariables(variables: Readonly<Record<string, string>>, options: ScanOptions = {}): Promise<SecretMatch[]> {
  const ignored = new Set(options.ignoreVariables ?? []);
  const matches: SecretMatch[] = [];
  for (const [name, value] of Object.entries(variables).sort(([a], [b]) => a.localeCompare(b))) {
    if (ignored.has(name)) continue;
    const rule = await secretRule(name, value);
    if (rule) matches.push({ name, rule, fingerprint: fingerprint(value) });
  }
  return matches;
}
