/**
 * Values that are not secrets: shapes that cannot hold one (checked before any rule), references to
 * where a secret lives, and placeholders (checked against what a rule matched, so `xoxb-your-bot-token`
 * or `postgres://app:${DB_PASSWORD}@db` is not a finding).
 */
interface Entry {
  readonly id: string;
  readonly pattern: RegExp;
}

/** Values too plain to hold a credential whatever the variable is called. */
const INERT: readonly Entry[] = [
  { id: 'boolean', pattern: /^(true|false|yes|no|on|off|enabled|disabled)$/i },
  { id: 'number', pattern: /^-?\d+(\.\d+)?$/ },
  { id: 'region', pattern: /^[a-z]{2}(-gov)?-[a-z]+-\d$/ },
  { id: 'log-level', pattern: /^(trace|debug|info|warn|warning|error|fatal|critical)$/i },
  { id: 'iso-date', pattern: /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/ },
  { id: 'semver', pattern: /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/ },
  { id: 'duration', pattern: /^\d+(ms|s|m|h|d)$/ },
  { id: 'cron', pattern: /^(cron|rate)\(.+\)$/ },
  // Ciphertext of the Lambda console's encryption helpers (KMS Encrypt): useless without kms:Decrypt.
  { id: 'kms-ciphertext', pattern: /^AQI[BCD]AH[A-Za-z0-9+/]{60,}={0,2}$/ },
  // Keys their vendors publish to browsers by design.
  { id: 'stripe-publishable-key', pattern: /^pk_(live|test)_[A-Za-z0-9]{16,}$/ },
  { id: 'mapbox-public-token', pattern: /^pk\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/ },
];

/** Values that say where a secret or a resource is, not what it is. */
const REFERENCES: readonly Entry[] = [
  { id: 'arn', pattern: /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s]+$/ },
  { id: 'cloudformation-dynamic-reference', pattern: /^\{\{resolve:(secretsmanager|ssm|ssm-secure):[^}]+\}\}$/ },
  { id: 'ssm-parameter-path', pattern: /^(ssm:)?\/[A-Za-z0-9_.\-/]+$/ },
  { id: 'secret-reference', pattern: /^(secret|secretsmanager|ssm|vault|sm):[A-Za-z0-9/_+=.@-]+$/ },
  { id: 'secret-name', pattern: /^[a-z0-9]+([-_.][a-z0-9]+)*(\/[a-z0-9]+([-_.][a-z0-9]+)*)+$/ },
  { id: 'slug', pattern: /^[a-z]+([-_.][a-z]+)*$/i },
  { id: 'email', pattern: /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/ },
  { id: 'hostname', pattern: /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(:\d+)?$/i },
  { id: 'path', pattern: /^\.{0,2}\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/?$/ },
  { id: 'kms-alias', pattern: /^alias\/[A-Za-z0-9/_-]+$/ },
  { id: 'header-name', pattern: /^x-[a-z0-9-]+$/i },
];

const PLACEHOLDER =
  /^(\$\{[^}]*\}|\$\([^)]*\)|\$[A-Z_][A-Z0-9_]*|<[^>]*>|\{\{[^}]*\}\}|%[A-Z_]+%|\[[^\]]*\])$|(^|[^a-z])(your|changeme|change[-_]?me|replace[-_]?me|placeholder|example|dummy|sample|redacted|masked|fill[-_]?me|insert|todo|tbd|not[-_]?set)([^a-z]|$)|x{5,}|X{5,}|\*{3,}|0{8,}|\.{3}|^(secret|password|passwd|token|none|null|nil|undefined|test|changeit)$/i;

/** The inert shape a value has, if any (never a secret, whatever the name). */
export function inertReason(value: string): string | undefined {
  return INERT.find((entry) => entry.pattern.test(value))?.id ?? (isAnonymousJwt(value) ? 'anonymous-jwt' : undefined);
}

/**
 * A JWT whose claims grant the anonymous role (Supabase's anon key, meant for browsers: row-level
 * security guards the data). Signed tokens for any other role stay findings.
 */
function isAnonymousJwt(value: string): boolean {
  const parts = /^eyJ[A-Za-z0-9_-]+\.(eyJ[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/.exec(value);
  if (!parts) return false;
  try {
    const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as { role?: unknown };
    return claims.role === 'anon';
  } catch {
    return false;
  }
}

/** Whether a value is a placeholder, or a token's prefix with a placeholder body. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || /(.)\1{7,}/.test(value);
}

/** Whether a value is a reference (ARN, path, secret name, URL without credentials…) rather than a credential. */
export function isReference(value: string): boolean {
  return REFERENCES.some((entry) => entry.pattern.test(value)) || isCredentialFreeUrl(value) || inertReason(value) !== undefined;
}

/** A URL with no credentials in it (credentials in userinfo or in a secret-like query parameter are not). */
function isCredentialFreeUrl(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (!url.host || url.password) return false;
  for (const key of url.searchParams.keys()) {
    if (/(token|secret|password|passwd|pwd|key|sig|signature|auth|credential)/i.test(key)) return false;
  }
  return true;
}
