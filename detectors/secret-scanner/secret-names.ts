/** Names that say the value is a credential. */
const PASSWORD_NAME = /(^|_)(PASS(WORD|WD|PHRASE)?|PWD|DB_?PASS)(_|$)/i;
const SECRET_NAME =
  /(^|_)(SECRET|TOKEN|API_?KEY|APIKEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH|AUTH_?KEY|SIGNING_?(KEY|SECRET)|CLIENT_?SECRET|SESSION_?(KEY|SECRET)|ENCRYPTION_?KEY|MASTER_?KEY|HMAC(_?KEY)?|SALT|WEBHOOK_?SECRET|BEARER|DSN|CONNECTION_?STRING|CONN_?STR)(_|$)/i;
/** Suffixes that name something about a secret without being it: where it is, how long it lives. */
const NOT_A_VALUE_SUFFIX =
  /_(ARN|NAME|ID|PATH|URL|URI|ENDPOINT|HEADER|PARAM|PARAMETER|REGION|TTL|EXPIRY|EXPIRES|EXPIRATION|LENGTH|FILE|TYPE|ENABLED|PREFIX|FIELD|ALGORITHM|VERSION|ROTATION|RETRIES|TIMEOUT|COUNT|SIZE|AGE|ISSUER|AUDIENCE|SCOPE|USER|USERNAME|EMAIL|HOST|PORT|POLICY|HINT|DESCRIPTION)$/i;

export type SecretNameKind = 'password' | 'secret';

/** Whether a variable name says it holds a password or another kind of secret. */
export function secretNameKind(name: string): SecretNameKind | undefined {
  if (NOT_A_VALUE_SUFFIX.test(name)) return undefined;
  if (PASSWORD_NAME.test(name)) return 'password';
  if (SECRET_NAME.test(name)) return 'secret';
  return undefined;
}
