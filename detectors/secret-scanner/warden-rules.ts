import { characterClasses, shannonEntropy } from './entropy';
import { isPlaceholder, isReference } from './allowlist';
import { secretNameKind } from './secret-names';

/**
 * Warden's own rules, written where no maintained rule covers what Lambda environments hold:
 * credentials inside connection strings that are not URLs (JDBC, ADO.NET/ODBC `Key=Value;`, Azure
 * `AccountKey=`/`SharedAccessKey=`), URL credentials for schemes the maintained rules skip (redis,
 * amqp, smtp…), a private key block however short, HTTP `Basic`/`Bearer` header values, JSON blobs with secret fields, framework app
 * keys (`base64:`), Stripe webhook signing secrets, and, by name, passwords and raw keys with no vendor prefix (UUID-, hex- and
 * base64-shaped keys, Fernet keys). Each returns the rule id that fired, never the value.
 */
const CONNECTION_FIELD =
  /(?:^|[?&;:,\s])(password|pwd|passwd|accountkey|sharedaccesskey|sharedsecret)\s*=\s*(?:"([^"]+)"|'([^']+)'|\{([^}]+)\}|([^&;,\s]+))/gi;
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]{1,20}:\/\/([^/\s:@]*):([^/\s@]+)@[^\s/]+/i;
const BASIC_HEADER = /^(?:authorization:\s*)?basic\s+([A-Za-z0-9+/]{8,}={0,2})$/i;
// `SSWS` is Okta's scheme for its API tokens.
const BEARER_HEADER = /^(?:authorization:\s*)?(?:bearer|token|ssws)\s+(\S{16,})$/i;
// Oracle's thin driver puts the credentials before the host: jdbc:oracle:thin:user/password@host.
const ORACLE_THIN = /^jdbc:oracle:thin:[^/@:\s]+\/([^@\s]+)@/i;
// Stripe's webhook signing secret (no maintained rule has it): forges events a service trusts.
const STRIPE_WEBHOOK_SECRET = /^whsec_[A-Za-z0-9]{32,}$/;
// Generated app passwords (Google's four groups of four letters; Apple's with dashes).
const APP_PASSWORD = /^[a-z]{4}([ -][a-z]{4}){3}$/;
const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/;
const APP_KEY = /^base64:([A-Za-z0-9+/]{40,}={0,2})$/;
const SECRET_FIELD = /(pass(word|wd)?|pwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|auth|credential)/i;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_KEY = /^(?:[0-9a-f]{32,}|[0-9A-F]{32,})$/;
const BASE64_KEY = /^[A-Za-z0-9+/]{16,}={0,2}$/;
const BASE64URL_KEY = /^[A-Za-z0-9_-]{32,}={0,2}$/;

/** The rule a value breaks by its structure alone, whatever the variable is called. */
export function structureRule(value: string): string | undefined {
  if (PRIVATE_KEY_BLOCK.test(value)) return 'warden:private-key-block';
  for (const match of value.matchAll(CONNECTION_FIELD)) {
    const secret = match[2] ?? match[3] ?? match[4] ?? match[5] ?? '';
    if (secret.length >= 4 && !isPlaceholder(secret)) {
      const field = (match[1] as string).toLowerCase();
      if (field === 'accountkey' || field === 'sharedaccesskey') return 'warden:azure-connection-string-key';
      return value.toLowerCase().startsWith('jdbc:') ? 'warden:jdbc-password' : 'warden:connection-string-password';
    }
  }
  const oracle = ORACLE_THIN.exec(value);
  if (oracle && !isPlaceholder(oracle[1] as string)) return 'warden:jdbc-password';
  if (STRIPE_WEBHOOK_SECRET.test(value)) return 'warden:stripe-webhook-secret';
  const url = URL_CREDENTIALS.exec(value);
  if (url && (url[2] as string).length >= 3 && !isPlaceholder(url[2] as string)) return 'warden:url-credentials';
  const basic = BASIC_HEADER.exec(value);
  if (basic && /^[^\s:]{1,128}:\S{3,}$/.test(Buffer.from(basic[1] as string, 'base64').toString('latin1'))) return 'warden:basic-auth-header';
  const bearer = BEARER_HEADER.exec(value);
  if (bearer && looksRandom(bearer[1] as string) && !isPlaceholder(bearer[1] as string)) return 'warden:bearer-header';
  const appKey = APP_KEY.exec(value);
  if (appKey && isBinary(appKey[1] as string)) return 'warden:base64-app-key';
  if (value.startsWith('{')) return jsonRule(value);
  return undefined;
}

function jsonRule(value: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const stack: unknown[] = [parsed];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    for (const [key, field] of Object.entries(node as Record<string, unknown>)) {
      if (typeof field === 'string' && SECRET_FIELD.test(key) && nameRule(key, field)) return 'warden:json-secret-field';
      if (typeof field === 'object') stack.push(field);
    }
  }
  return undefined;
}

/** The rule a value breaks because of what its variable is called, if the value has a credential's shape. */
export function nameRule(name: string, value: string): string | undefined {
  const kind = secretNameKind(name);
  if (!kind || isPlaceholder(value)) return undefined;
  // Before the reference check: a dashed app password has a slug's shape.
  if (kind === 'password' && APP_PASSWORD.test(value)) return 'warden:name-app-password';
  if (isReference(value)) return undefined;
  if (/\s/.test(value)) return undefined;
  if (kind === 'password') return isChosenPassword(value) ? 'warden:name-password' : undefined;
  const shape = keyShape(value);
  return shape ? `warden:name-${shape}` : undefined;
}

/** A key without a vendor prefix, by shape: UUID, hex, base64 of random bytes, or machine-made. */
function keyShape(value: string): string | undefined {
  if (UUID.test(value)) return 'uuid-key';
  if (HEX_KEY.test(value) && shannonEntropy(value) >= 3) return 'hex-key';
  if ((BASE64_KEY.test(value) || BASE64URL_KEY.test(value)) && value.length >= 20 && isBinary(value)) return 'base64-key';
  if (looksRandom(value)) return 'high-entropy';
  return undefined;
}

/** A password people chose: not a single word, not a slug. */
function isChosenPassword(value: string): boolean {
  if (/^[a-z]+([-_.][a-z]+)*$/.test(value)) return false;
  return characterClasses(value) >= 2;
}

/** Long enough, varied enough and with digits: machine-made, not a word or a slug. */
export function looksRandom(value: string): boolean {
  return value.length >= 16 && /\d/.test(value) && characterClasses(value) >= 2 && shannonEntropy(value) >= 3.2;
}

/** Base64 that decodes to bytes, not to text: a key, not an encoded config. */
function isBinary(value: string): boolean {
  const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 12) return false;
  let printable = 0;
  for (const byte of bytes) if (byte >= 0x20 && byte < 0x7f) printable += 1;
  return printable / bytes.length < 0.9;
}
