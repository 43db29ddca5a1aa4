/**
 * Values that are not secrets whatever the variable is called: references to where a secret lives,
 * identifiers, plain configuration. Checked before any rule, so these never produce a finding.
 */
const NOT_SECRET: readonly { readonly id: string; readonly pattern: RegExp }[] = [
  { id: 'boolean', pattern: /^(true|false|yes|no|on|off|enabled|disabled)$/i },
  { id: 'number', pattern: /^-?\d+(\.\d+)?$/ },
  { id: 'arn', pattern: /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s]+$/ },
  { id: 'cloudformation-dynamic-reference', pattern: /^\{\{resolve:(secretsmanager|ssm|ssm-secure):[^}]+\}\}$/ },
  { id: 'ssm-parameter-path', pattern: /^(ssm:)?\/[A-Za-z0-9_.\-/]+$/ },
  { id: 'secret-reference', pattern: /^(secret|secretsmanager|ssm):[A-Za-z0-9/_+=.@-]+$/ },
  { id: 'template-placeholder', pattern: /^(\$\{[^}]+\}|\$\([^)]+\)|<[^>]+>|\{\{[^}]+\}\}|%[A-Z_]+%)$/ },
  {
    id: 'placeholder-word',
    pattern:
      /^(changeme|change[-_]?me|replace[-_]?me|your[-_a-z]*[-_]here|fill[-_]?me[-_]?in|todo|tbd|none|null|nil|undefined|placeholder|example|dummy|test|secret|password|your[-_a-z]*(key|token|secret|password)[-_a-z]*|x{3,}|\*{3,}|redacted|masked|not[-_]?set)$/i,
  },
  { id: 'region', pattern: /^[a-z]{2}(-gov)?-[a-z]+-\d$/ },
  { id: 'email', pattern: /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/ },
  { id: 'log-level', pattern: /^(trace|debug|info|warn|warning|error|fatal|critical)$/i },
  { id: 'iso-date', pattern: /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/ },
  { id: 'semver', pattern: /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/ },
  { id: 'duration', pattern: /^\d+(ms|s|m|h|d)$/ },
  { id: 'path', pattern: /^\.{0,2}\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/?$/ },
  { id: 'kms-alias', pattern: /^alias\/[A-Za-z0-9/_-]+$/ },
];

/** A URL with no credentials in it (credentials in userinfo or in a secret-like query parameter are not). */
function isCredentialFreeUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (!/^[a-z][a-z0-9+.-]*:$/.test(url.protocol) || !url.host) return false;
  if (url.username || url.password) return false;
  for (const key of url.searchParams.keys()) {
    if (/(token|secret|password|passwd|pwd|key|sig|signature|auth|credential)/i.test(key)) return false;
  }
  return true;
}

/** The allowlist entry a value falls under, if any. */
export function notSecretReason(value: string, minLength: number): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length < minLength) return 'short';
  const entry = NOT_SECRET.find((candidate) => candidate.pattern.test(trimmed));
  if (entry) return entry.id;
  if (isCredentialFreeUrl(trimmed)) return 'url-without-credentials';
  // Anything else, JSON included (it can carry secrets inside), is for the rules to judge.
  return undefined;
}
