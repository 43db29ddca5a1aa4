import {
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, type DescribeKeyCommandOutput, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { dynamodbTableEncryptionDetector as detector } from '../../../detectors/dynamodb-table-encryption';
import { apiFixture } from '../../support/fixtures';
import { listedArns } from '../../support/listed';

const dynamodb = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);
const clients = { dynamodb: new DynamoDBClient({ region: 'us-east-1' }), kms: new KMSClient({ region: 'us-east-1' }) };
const ref = {
  check: 'dynamodb-table-encryption' as const,
  account: '111122223333',
  region: 'us-east-1',
  resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
};
const defaults = { kmsKey: 'alias/aws/dynamodb', requireCustomerManagedKey: false };

beforeEach(() => {
  dynamodb.reset();
  kms.reset();
  dynamodb.on(ListTagsOfResourceCommand).resolves(apiFixture('dynamodb-list-tags'));
});

async function judge(settings = defaults) {
  const state = await detector.fetch(ref, clients, settings);
  if (!state) throw new Error('expected a state');
  return { state, evaluation: await detector.evaluate(state, settings) };
}

describe('dynamodb-table-encryption detector', () => {
  it('finds a table on the AWS owned key (no SSEDescription) noncompliant', async () => {
    dynamodb.on(DescribeTableCommand, { TableName: 'orders' }).resolves(apiFixture('dynamodb-describe-table-owned-key'));
    const { state, evaluation } = await judge();
    expect(evaluation.status).toBe('NON_COMPLIANT');
    expect(evaluation.evidence).toMatchObject({ tableName: 'orders', sseType: 'AWS_OWNED', sseStatus: 'NONE' });
    expect(state.tags).toEqual({ team: 'orders' });
    expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
  });

  it('accepts a table on a KMS key without asking KMS when no customer managed key is required', async () => {
    dynamodb.on(DescribeTableCommand).resolves(apiFixture('dynamodb-describe-table-kms'));
    const { evaluation } = await judge();
    expect(evaluation.status).toBe('COMPLIANT');
    expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
  });

  it('finds an AWS managed key noncompliant when the policy requires a customer managed key', async () => {
    dynamodb.on(DescribeTableCommand).resolves(apiFixture('dynamodb-describe-table-kms'));
    kms.on(DescribeKeyCommand).resolves(apiFixture('kms-describe-key-aws-managed'));
    const { evaluation } = await judge({ ...defaults, requireCustomerManagedKey: true });
    expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, {
      KeyId: 'arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
    });
    expect(evaluation.status).toBe('NON_COMPLIANT');
    expect(evaluation.reason).toContain('AWS managed key');
  });

  it('accepts a customer managed key when one is required', async () => {
    dynamodb.on(DescribeTableCommand).resolves(apiFixture('dynamodb-describe-table-kms'));
    const key = apiFixture<DescribeKeyCommandOutput>('kms-describe-key-aws-managed');
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { ...key.KeyMetadata, KeyId: key.KeyMetadata?.KeyId ?? '', KeyManager: 'CUSTOMER' } });
    expect((await judge({ ...defaults, requireCustomerManagedKey: true })).evaluation.status).toBe('COMPLIANT');
  });

  it('reports a table being updated as transitioning, to be judged later', async () => {
    dynamodb.on(DescribeTableCommand).resolves(apiFixture('dynamodb-describe-table-updating'));
    const { state } = await judge();
    expect(detector.transitioning(state)).toBe(true);
  });

  it('treats a deleted table as no finding', async () => {
    dynamodb
      .on(DescribeTableCommand)
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found: Table: orders not found', $metadata: {} }));
    await expect(detector.fetch(ref, clients, defaults)).resolves.toBeUndefined();
  });

  it.each([
    ['AccessDeniedException', 'User is not authorized to perform: dynamodb:DescribeTable'],
    ['ThrottlingException', 'Rate exceeded'],
  ])('propagates %s for Lambda to retry', async (name, message) => {
    dynamodb.on(DescribeTableCommand).rejects(Object.assign(new Error(message), { name }));
    await expect(detector.fetch(ref, clients, defaults)).rejects.toMatchObject({ name });
  });

  it('lists every table across pages', async () => {
    dynamodb
      .on(ListTablesCommand)
      .resolvesOnce({ TableNames: ['a', 'b'], LastEvaluatedTableName: 'b' })
      .resolvesOnce({ TableNames: ['c'] });
    const refs = [];
    refs.push(...(await listedArns(detector, clients, { account: '111122223333', region: 'eu-west-1' })));
    expect(refs).toEqual(['a', 'b', 'c'].map((name) => `arn:aws:dynamodb:eu-west-1:111122223333:table/${name}`));
    expect(dynamodb).toHaveReceivedNthCommandWith(2, ListTablesCommand, { ExclusiveStartTableName: 'b' });
  });
});
