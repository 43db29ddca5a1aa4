import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretValues } from '../../../../core/secrets/secret-values';

const secretsManager = mockClient(SecretsManagerClient);
const values = () => new SecretValues(new SecretsManagerClient({ region: 'us-east-1' }));
const stored = (name: string, SecretString: string) =>
  secretsManager.on(GetSecretValueCommand, { SecretId: name }).resolves({ Name: name, SecretString });

beforeEach(() => secretsManager.reset());

describe('SecretValues', () => {
  it.each([[''], [' '], ['\n\t ']])('a blank secret (%j) is an error naming it, never a value', async (blank) => {
    stored('warden/slack-signing', blank);
    await expect(values().get('secret:warden/slack-signing')).rejects.toThrow(
      'secret warden/slack-signing is empty: store the value in Secrets Manager',
    );
  });

  it.each([
    ['{"apiToken": "t"}', 'email'],
    ['{"email": "warden@example.com"}', 'apiToken'],
    ['{"email": "warden@example.com", "apiToken": "  "}', 'apiToken'],
    ['{"email": 42, "apiToken": "t"}', 'email'],
  ])('Jira credentials %s lack a field: the error names %s', async (json, field) => {
    stored('warden/jira', json);
    await expect(values().getJson('secret:warden/jira', ['email', 'apiToken'])).rejects.toThrow(
      `secret warden/jira lacks the field "${field}" (a non-empty string)`,
    );
  });

  it('a JSON secret with every field is returned; the error for a non-JSON one quotes nothing of it', async () => {
    stored('warden/jira', '{"email": "warden@example.com", "apiToken": "ATATT-CANARY"}');
    await expect(values().getJson('secret:warden/jira', ['email', 'apiToken'])).resolves.toEqual({
      email: 'warden@example.com',
      apiToken: 'ATATT-CANARY',
    });
    stored('warden/jira', 'ATATT-CANARY-not-json');
    await expect(values().getJson('secret:warden/jira', ['email'])).rejects.toThrow(/^secret warden\/jira is not JSON$/);
  });
});
