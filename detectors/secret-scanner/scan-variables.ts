import { fingerprint } from '../../core/finding';
import { inertReason, isPlaceholder, isReference } from './allowlist';
import { gitleaksHit, gitleaksKeywordRules } from './gitleaks-rules';
import { Prefilter } from './prefilter';
import { namesSomethingElse } from './secret-names';
import { secretlintHit, secretlintKeywordRules } from './secretlint-rules';
import { nameRule, structureRule } from './warden-rules';

/** A variable that holds a plaintext secret: its name, the rule that matched and a fingerprint. Never the value. */
export interface SecretMatch {
  readonly name: string;
  readonly rule: string;
  readonly fingerprint: string;
}

export interface ScanOptions {
  /** Variable names never reported. */
  readonly ignoreVariables?: readonly string[];
  /** Rules that never fire (`gitleaks:generic-api-key`), or never for one variable (`…@NAME`). */
  readonly ignoreRules?: readonly string[];
}

/** Built on first use: the rule sets load lazily. */
let prefilter: Prefilter | undefined;

/** Values shorter than this are never judged secrets (flags, ports, short ids). */
export const MIN_SECRET_LENGTH = 8;

/**
 * The rule a value breaks, if any, named `<rule set>:<rule id>` so that a false alarm can be reported
 * and allow-listed precisely. In order: shapes too plain to hold a secret; secretlint's recommended
 * rules and gitleaks' rules on `NAME=value` (one keyword pass for both picks the rules that can match; a
 * placeholder where the secret should be is no finding, and gitleaks' generic rule must also agree
 * with the name and value); Warden's structure rules (connection strings, headers, JSON); and last,
 * a secret-like name with a value in a credential's shape.
 */
export function secretRule(name: string, raw: string, ignored: (rule: string) => boolean = () => false): string | undefined {
  const value = raw.trim();
  if (value.length < MIN_SECRET_LENGTH || inertReason(value)) return undefined;
  const line = `${name}=${value}`;
  prefilter ??= new Prefilter([secretlintKeywordRules(), gitleaksKeywordRules()]);
  const [secretlintRules = [], gitleaksRules = []] = prefilter.candidates(line);
  const secretlint = secretlintHit(name, line, secretlintRules, (ruleId, secret) => !ignored(secretlintRuleName(ruleId)) && !isPlaceholder(secret));
  if (secretlint) return secretlintRuleName(secretlint.ruleId);
  const genericFalseAlarm = isGenericFalseAlarm(name, value);
  const gitleaks = gitleaksHit(line, gitleaksRules, {
    skip: (ruleId) => ignored(`gitleaks:${ruleId}`) || (genericFalseAlarm && ruleId.startsWith('generic')),
    accept: (_ruleId, secret) => !isPlaceholder(secret),
  });
  if (gitleaks) return `gitleaks:${gitleaks.ruleId}`;
  return [structureRule(value), nameRule(name, value)].find((rule) => rule !== undefined && !ignored(rule));
}

const secretlintRuleName = (ruleId: string) => ruleId.replace('@secretlint/secretlint-rule-', 'secretlint:');

/** gitleaks' generic rule keys on words anywhere in a name; Warden also asks what the name and value are. */
function isGenericFalseAlarm(name: string, value: string): boolean {
  return namesSomethingElse(name) || isReference(value) || isPlaceholder(value);
}

/** Every variable that holds a plaintext secret, sorted by name. */
export function scanVariables(variables: Readonly<Record<string, string>>, options: ScanOptions = {}): SecretMatch[] {
  const ignored = new Set(options.ignoreVariables ?? []);
  const ignoredRules = new Set(options.ignoreRules ?? []);
  const matches: SecretMatch[] = [];
  for (const [name, value] of Object.entries(variables).sort(([a], [b]) => a.localeCompare(b))) {
    if (ignored.has(name)) continue;
    const rule = secretRule(name, value, (candidate) => ignoredRules.has(candidate) || ignoredRules.has(`${candidate}@${name}`));
    if (rule) matches.push({ name, rule, fingerprint: fingerprint(value) });
  }
  return matches;
}
