import corpus from '../../../fixtures/secret-corpus/corpus.json';
import { scoreCorpus } from '../../../../bench/measure-corpus';
import { scanVariables, secretRule } from '../../../../detectors/secret-scanner/scan-variables';
import { CANARY, expectNoCanary } from '../../../support/fixtures';

describe('secret scanner', () => {
  it('meets precision and recall of at least 0.95 on the labelled corpus of 300+ values', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(corpus.filter((entry) => entry.secret).length).toBeGreaterThanOrEqual(150);
    const score = await scoreCorpus(corpus);
    expect({ precision: score.precision >= 0.95, recall: score.recall >= 0.95 }).toEqual({ precision: true, recall: true });
  });

  it.each([
    ['AWS_ACCESS_KEY_ID', 'AKIA2OGYBAH6STMMNXNN', 'format:aws-access-key-id'],
    ['CONNECTION', 'mongodb+srv://svc:S3cr3t%40x@cluster0.abcde.mongodb.net/app', 'format:url-credentials'],
    ['DB_PASSWORD', 'Orders#2024xyz', 'name:password'],
    ['PRIVATE_KEY', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'format:private-key'],
  ])('flags %s', async (name, value, rule) => {
    await expect(secretRule(name, value)).resolves.toBe(rule);
  });

  it.each([
    ['DB_PASSWORD', '{{resolve:secretsmanager:prod/db:SecretString:password}}'],
    ['DB_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf'],
    ['API_KEY_PARAM', '/prod/orders/api-key'],
    ['API_URL', 'https://api.example.com/v1?region=eu'],
    ['API_KEY', '<your-api-key>'],
    ['TOKEN_TTL', '3600'],
    ['ENABLE_AUTH', 'true'],
    ['SECRET', 'short'],
    ['CA_CERT', '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----'],
  ])('does not flag %s', async (name, value) => {
    await expect(secretRule(name, value)).resolves.toBeUndefined();
  });

  it('returns names, rules and fingerprints only', async () => {
    const matches = await scanVariables({ STRIPE_SECRET_KEY: CANARY.stripe, DATABASE_URL: CANARY.databaseUrl, STAGE: 'prod' });
    expect(matches.map((match) => match.name)).toEqual(['DATABASE_URL', 'STRIPE_SECRET_KEY']);
    expectNoCanary(matches);
  });
});
