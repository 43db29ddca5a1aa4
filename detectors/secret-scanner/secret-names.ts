/**
 * What a variable's name says it holds. The head noun decides: the last word once qualifiers (PROD,
 * V2, PRIMARY…) are dropped. `PASSWORD_RESET_QUEUE` names a queue, `DB_PASSWORD_PROD` a password,
 * `KMS_KEY_ID` an id; terse and tool-specific spellings (`DB_PW`, `VPN_PSK`, `PGPASSWORD`) count. A
 * name that says its key is public (`STRIPE_PUBLISHABLE_KEY`) names no secret.
 */
export type SecretNameKind = 'password' | 'secret';

const QUALIFIERS = new Set([
  'PROD',
  'PRD',
  'DEV',
  'STAGING',
  'STG',
  'TEST',
  'QA',
  'UAT',
  'LIVE',
  'SANDBOX',
  'OLD',
  'NEW',
  'LEGACY',
  'CURRENT',
  'NEXT',
  'PREVIOUS',
  'PRIMARY',
  'SECONDARY',
  'BACKUP',
  'RAW',
  'VALUE',
  'B64',
  'BASE64',
  'HEX',
  'ENCODED',
  'V1',
  'V2',
  'V3',
  'LOCAL',
  'DEFAULT',
  'MAIN',
  'BASE',
]);

const PASSWORD_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'PW', 'PSK', 'PASSPHRASE', 'PGPASSWORD', 'PASSWORDS']);

const SECRET_WORDS = new Set([
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'KEY',
  'KEYS',
  'APIKEY',
  'SECRETKEY',
  'ACCESSKEY',
  'PRIVATEKEY',
  'AUTH',
  'AUTHKEY',
  'AUTHTOKEN',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'LICENSE',
  'LICENCE',
  'DSN',
  'SALT',
  'PEPPER',
  'HMAC',
  'BEARER',
  'COOKIE',
  'SIGNATURE',
  'SAS',
  'CONNSTR',
  'CONNECTIONSTRING',
  'AUTHORIZATION',
  'SK',
]);

/** Words that say a key is published by design (Stripe's publishable key, a captcha site key). */
const PUBLIC_WORDS = new Set(['PUBLIC', 'PUBLISHABLE', 'ANON']);

/** Words of a name, upper case: `dbPassword` and `DB-PASSWORD` both give DB, PASSWORD. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toUpperCase());
}

/** The name's head word, qualifiers and trailing digits dropped (`DB_PASSWORD_PROD_2` gives PASSWORD). */
function headWord(words: readonly string[]): string | undefined {
  const kept = [...words];
  while (kept.length > 1 && (QUALIFIERS.has(kept.at(-1) as string) || /^\d+$/.test(kept.at(-1) as string))) kept.pop();
  const last = kept.at(-1);
  const previous = kept.at(-2);
  if (last === 'STRING' && (previous === 'CONNECTION' || previous === 'CONN')) return 'CONNECTIONSTRING';
  return last;
}

/** Whether a variable name says it holds a password or another kind of secret. */
export function secretNameKind(name: string): SecretNameKind | undefined {
  const words = nameWords(name);
  const head = headWord(words);
  if (!head || namesPublicKey(words)) return undefined;
  if (PASSWORD_WORDS.has(head) || /PASSWORD$|PASSWD$/.test(head)) return 'password';
  if (head === 'AUTH' && words.includes('REDIS')) return 'password';
  if (SECRET_WORDS.has(head) || /(SECRET|TOKEN|APIKEY)$/.test(head)) return 'secret';
  return undefined;
}

/** `NEXT_PUBLIC_MAPBOX_TOKEN`, `STRIPE_PUBLISHABLE_KEY`, `HCAPTCHA_SITE_KEY`: shipped to browsers. */
function namesPublicKey(words: readonly string[]): boolean {
  return words.some((word, at) => PUBLIC_WORDS.has(word) || (word === 'SITE' && words[at + 1] === 'KEY'));
}

/** A name whose head word says it holds something other than a credential (a queue, an id, a length). */
export function namesSomethingElse(name: string): boolean {
  return secretNameKind(name) === undefined;
}
