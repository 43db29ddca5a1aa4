import regression from '../../../fixtures/secret-corpus/corpus.json';
import independent from '../../../fixtures/secret-corpus-independent/corpus.json';
import { corpusHalf, scoreCorpus } from '../../../../bench/measure-corpus';
import { scanVariables, secretRule } from '../../../../detectors/secret-scanner/scan-variables';
import { CANARY, expectNoCanary } from '../../../support/fixtures';

const randomBytes = (length: number, step: number) => Buffer.from(Array.from({ length }, (_, i) => (i * step + 11) % 256));

/** One planted value per rule Warden wrote, and a sample of the maintained rule sets. */
const RULE_SAMPLES: readonly (readonly [string, string, string])[] = [
  ['AWS_ACCESS_KEY_ID', 'AKIA2OGYBAH6STMMNXNN', 'gitleaks:aws-access-token'],
  ['CONNECTION', 'mongodb+srv://svc:S3cr3t%40x@cluster0.abcde.mongodb.net/app', 'secretlint:database-connection-string'],
  ['NOTIFIER', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'secretlint:slack'],
  ['DB_PASSWORD', 'Orders#2024xyz', 'warden:name-password'],
  ['DB_PW', 'hunter2hunter2', 'warden:name-password'],
  ['VPN_PSK', 'Kj8#mQ2!vL9p', 'warden:name-password'],
  ['PGPASSWORD', 'pg-Secret-77', 'warden:name-password'],
  ['PRIVATE_KEY', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'warden:private-key-block'],
  ['DB_URL', 'jdbc:postgresql://db.internal:5432/orders?user=app&password=Xk29fjs!a', 'warden:jdbc-password'],
  ['SQL', 'Server=tcp:sql.internal,1433;Database=orders;User Id=app;Password=Pa55w0rd-2024;', 'warden:connection-string-password'],
  [
    'STORAGE',
    `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${randomBytes(64, 37).toString('base64')};EndpointSuffix=core.windows.net`,
    'warden:azure-connection-string-key',
  ],
  ['UPSTREAM_AUTH', `Basic ${Buffer.from('svc:Tr0ub4dor&3').toString('base64')}`, 'warden:basic-auth-header'],
  ['AUTHORIZATION', 'Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ', 'warden:bearer-header'],
  ['APP_KEY', `base64:${randomBytes(32, 37).toString('base64')}`, 'warden:base64-app-key'],
  ['SMTP', '{"host":"smtp.internal","port":587,"user":"mailer","password":"M4il!Secr3t"}', 'warden:json-secret-field'],
  ['CACHE', 'redis://:S0me-R3dis-Pass@cache.internal:6379/0', 'warden:url-credentials'],
  ['SESSION_SALT', randomBytes(32, 53).toString('base64url'), 'warden:name-base64-key'],
  ['WEBHOOK_HMAC', '2f6a9c1e-4b7d-4e8f-9a0b-1c2d3e4f5a6b', 'warden:name-uuid-key'],
  ['FERNET_KEY', randomBytes(32, 53).toString('base64url'), 'gitleaks:generic-api-key'],
  ['NEW_RELIC_LICENSE', 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', 'warden:name-hex-key'],
  ['ORACLE_URL', 'jdbc:oracle:thin:ledger/Cobalt2031winter@db.internal:1521/ORCLPDB1', 'warden:jdbc-password'],
  ['STRIPE_WHSEC', 'whsec_Q2x9LmT4vB7nR1kP8sW3yZ6cJ0hF5dGa', 'warden:stripe-webhook-secret'],
  ['OKTA_AUTHORIZATION', 'SSWS 00Qx9LmT4vB7nR1kP8sW3yZ6cJ0hF5dGaE2uK4', 'warden:bearer-header'],
  ['SMTP_PASSWORD', 'qwhr ptkz mbno xyvd', 'warden:name-app-password'],
  ['ICLOUD_PASSWORD', 'qwhr-ptkz-mbno-xyvd', 'warden:name-app-password'],
  ['RAILS_SECRET_KEY_BASE', 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678a1b2c3d4e5f60718293a4b5c6d7e8f90', 'gitleaks:generic-api-key'],
];

describe('secret scanner', () => {
  // The independent corpus was written apart from the rules; they are tuned on its development half only.
  it('scores at least 0.97 precision and recall on the held-back half of the independent corpus', () => {
    const score = scoreCorpus(corpusHalf(independent.entries, 'held-back'));
    expect(score.values).toBeGreaterThanOrEqual(300);
    expect({ precision: score.precision >= 0.97, recall: score.recall >= 0.97 }).toEqual({ precision: true, recall: true });
  });

  it('the independent corpus has both halves stratified by format', () => {
    const formats = new Set(independent.entries.filter((entry) => entry.secret).map((entry) => entry.format));
    expect(formats.size).toBeGreaterThanOrEqual(40);
    for (const format of formats) {
      const halves = new Set(independent.entries.filter((entry) => entry.format === format).map((entry) => entry.half));
      expect([format, [...halves].sort()]).toEqual([format, ['development', 'held-back']]);
    }
  });

  it('still scores at least 0.95 on the corpus written with the first rules', () => {
    const score = scoreCorpus(regression);
    expect({ precision: score.precision >= 0.95, recall: score.recall >= 0.95 }).toEqual({ precision: true, recall: true });
  });

  it.each(RULE_SAMPLES)('flags %s and names the rule', (name, value, rule) => {
    expect(secretRule(name, value)).toBe(rule);
  });

  it.each([
    ['DB_PASSWORD', '{{resolve:secretsmanager:prod/db:SecretString:password}}'],
    ['DB_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf'],
    ['API_KEY_PARAM', '/prod/orders/api-key'],
    ['API_URL', 'https://api.internal/v1?region=eu'],
    ['API_KEY', '<your-api-key>'],
    ['SLACK_BOT_TOKEN', 'xoxb-your-bot-token'],
    ['STRIPE_SECRET_KEY', 'sk_live_REPLACE_ME_WITH_YOUR_KEY'],
    ['TOKEN_TTL', '3600'],
    ['ENABLE_AUTH', 'true'],
    ['SECRET', 'short'],
    ['CA_CERT', '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----'],
    ['PASSWORD_RESET_QUEUE', 'https://sqs.us-east-1.amazonaws.com/111122223333/password-reset'],
    ['CREDENTIALS_SECRET', 'prod/orders/db-credentials'],
    ['DATABASE_URL', 'postgres://app@db.internal:5432/orders'],
    ['DATABASE_URL', 'postgres://app:${DB_PASSWORD}@db.internal:5432/orders'],
    ['KMS_KEY_ID', '2f6a9c1e-4b7d-4e8f-9a0b-1c2d3e4f5a6b'],
    ['GIT_COMMIT', 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'],
    ['API_KEY_HEADER', 'x-api-key'],
    ['CONFIG_B64', Buffer.from('{"featureFlags":{"beta":true}}').toString('base64')],
    ['STRIPE_PUBLISHABLE_KEY', 'pk_live_51Hq2x9LmT4vB7nR1kP8sW3yZ6cJ0hF5dGa'],
    ['HCAPTCHA_SITE_KEY', '2f6a9c1e-4b7d-4e8f-9a0b-1c2d3e4f5a6b'],
    ['NEXT_PUBLIC_MAP_TOKEN', 'pk.eyJ1IjoiYWNtZSIsImEiOiJjbGs5In0.Q2x9LmT4vB7nR1kP8sW3yZ'],
    [
      'SUPABASE_KEY',
      `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"role":"anon","iss":"supabase"}').toString('base64url')}.Q2x9LmT4vB7nR1kP8sW3yZ6cJ0hF5dGa`,
    ],
    ['DB_PASSWORD', `AQICAHj${randomBytes(120, 29).toString('base64')}`],
  ])('does not flag %s=%s', (name, value) => {
    expect(secretRule(name, value)).toBeUndefined();
  });

  it('returns names, rules and fingerprints only, for every rule', () => {
    const variables = Object.fromEntries(RULE_SAMPLES.map(([name, value], i) => [`${name}_${i}`, value]));
    const matches = scanVariables({ ...variables, STRIPE_SECRET_KEY: CANARY.stripe, DATABASE_URL: CANARY.databaseUrl, STAGE: 'prod' });
    expect(matches).toHaveLength(RULE_SAMPLES.length + 2);
    const serialised = JSON.stringify(matches);
    for (const [, value] of RULE_SAMPLES) expect(serialised).not.toContain(value);
    for (const match of matches) expect(Object.keys(match).sort()).toEqual(['fingerprint', 'name', 'rule']);
    expectNoCanary(matches);
  });
});

describe('secret scanner allow-listing by rule', () => {
  const variables = { BUILD_TOKEN: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', DATA_KEY: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' };

  it('skips a rule everywhere, and the other rules still judge the value', () => {
    expect(scanVariables(variables).map((match) => match.rule)).toEqual(['gitleaks:generic-api-key', 'gitleaks:generic-api-key']);
    const withoutGeneric = scanVariables(variables, { ignoreRules: ['gitleaks:generic-api-key'] });
    expect(withoutGeneric.map((match) => match.rule)).toEqual(['warden:name-hex-key', 'warden:name-hex-key']);
  });

  it('skips rules for the variable named only', () => {
    const ignoreRules = ['gitleaks:generic-api-key@BUILD_TOKEN', 'warden:name-hex-key@BUILD_TOKEN'];
    expect(scanVariables(variables, { ignoreRules }).map((match) => match.name)).toEqual(['DATA_KEY']);
  });
});
