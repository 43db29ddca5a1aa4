import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { runCli } from '../../support/run-cli';
import { accountsToScan } from '../../../cli/scan/accounts';

const sts = mockClient(STSClient);
const dynamodb = mockClient(DynamoDBClient);
const SAVED = { ...process.env };

beforeEach(() => {
  sts.reset();
  dynamodb.reset();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'example', AWS_EC2_METADATA_DISABLED: 'true' });
});
afterAll(() => {
  process.env = SAVED;
});

describe('warden scan --accounts', () => {
  it('names the accounts whose role it could not assume, scans the others, and exits 3', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '999988887777' });
    sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::111122223333:role/WardenScan' }).resolves({
      Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'x', SessionToken: 'y', Expiration: new Date('2026-12-04T22:00:00Z') },
    });
    sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::444455556666:role/WardenScan' }).rejects(
      new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message:
          'User: arn:aws:sts::999988887777:assumed-role/Audit/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/WardenScan',
      }),
    );
    dynamodb.on(ListTablesCommand).resolves({ TableNames: [] });
    const { code, stdout } = await runCli(
      [
        'scan',
        '--json',
        '--accounts',
        '111122223333,444455556666',
        '--role-name',
        'WardenScan',
        '--region',
        'eu-west-1',
        '--checks',
        'dynamodb-table-encryption',
      ],
      { env: process.env },
    );
    // Nothing found where it could look, but an account left unscanned: never a clean exit.
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({
      accounts: ['111122223333'],
      unreadable: [
        {
          account: '444455556666',
          error:
            'access denied: sts:AssumeRole on arn:aws:iam::444455556666:role/WardenScan; warden needs the read permissions the README lists for scan',
        },
      ],
      results: [],
    });
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleSessionName: 'warden-scan', DurationSeconds: 3600 });
  });

  it('checks the flags first', () => {
    expect(accountsToScan('111122223333, 111122223333', 'WardenScan')).toEqual(['111122223333']);
    expect(() => accountsToScan('1234', 'WardenScan')).toThrow("--accounts: '1234' is not an AWS account id (12 digits)");
    expect(() => accountsToScan('111122223333', undefined)).toThrow(/^--accounts needs --role-name/);
    expect(() => accountsToScan(undefined, 'WardenScan')).toThrow('--role-name goes with --accounts');
    expect(accountsToScan(undefined, undefined)).toBeUndefined();
  });
});
