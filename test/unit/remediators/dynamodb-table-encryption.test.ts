import {
  DescribeTableCommand,
  DynamoDBClient,
  LimitExceededException,
  ListTagsOfResourceCommand,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { dynamodbTableEncryptionRemediator as remediator } from '../../../remediators/dynamodb-table-encryption';
import { FatalRemediationError, RetryableRemediationError, StillTransitioningError, VerificationFailedError } from '../../../remediators/errors';
import { apiFixture } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const dynamodb = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);
const clients = { dynamodb: new DynamoDBClient({ region: 'us-east-1' }), kms: new KMSClient({ region: 'us-east-1' }) };
const ref = {
  check: 'dynamodb-table-encryption' as const,
  account: '111122223333',
  region: 'us-east-1',
  resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
};
const finding = findingFor(ref, {
  reason: 'table orders is encrypted with the AWS owned key',
  evidence: { tableName: 'orders', sseType: 'AWS_OWNED' },
});
const managed = { kmsKey: 'alias/aws/dynamodb', requireCustomerManagedKey: false };
const customer = { kmsKey: 'alias/warden-data', requireCustomerManagedKey: false };

beforeEach(() => {
  dynamodb.reset();
  kms.reset();
  dynamodb.on(ListTagsOfResourceCommand).resolves({ Tags: [] });
  dynamodb.on(DescribeTableCommand).resolves(apiFixture('dynamodb-describe-table-owned-key'));
  kms.on(DescribeKeyCommand).resolves(apiFixture('kms-describe-key-aws-managed'));
});

describe('dynamodb-table-encryption remediator', () => {
  it('plans UpdateTable with the AWS managed key by leaving KMSMasterKeyId out', () => {
    expect(remediator.plan(finding, managed, {}).calls).toEqual([
      { client: 'DynamoDB', operation: 'UpdateTable', input: { TableName: 'orders', SSESpecification: { Enabled: true, SSEType: 'KMS' } } },
    ]);
  });

  it('applies exactly the planned call with a customer managed key and returns the undo record', async () => {
    const result = await remediator.apply(finding, customer, clients, {});
    expect(dynamodb).toHaveReceivedCommandTimes(UpdateTableCommand, 1);
    expect(dynamodb).toHaveReceivedCommandWith(UpdateTableCommand, {
      TableName: 'orders',
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/warden-data' },
    });
    expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, { KeyId: 'alias/warden-data' });
    expect(result).toEqual({
      changed: true,
      undo: {
        tableName: 'orders',
        previous: { kind: 'AWS_OWNED' },
        setKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
      },
    });
  });

  it('makes no change to a table that is already compliant', async () => {
    dynamodb.on(DescribeTableCommand).resolves(apiFixture('dynamodb-describe-table-kms'));
    await expect(remediator.apply(finding, managed, clients, {})).resolves.toEqual({ changed: false });
    expect(dynamodb).not.toHaveReceivedCommand(UpdateTableCommand);
  });

  it('fails clearly and for good when the key does not exist', async () => {
    kms
      .on(DescribeKeyCommand)
      .rejects(new NotFoundException({ message: 'Alias arn:aws:kms:us-east-1:111122223333:alias/warden-data is not found.', $metadata: {} }));
    await expect(remediator.apply(finding, customer, clients, {})).rejects.toThrow(FatalRemediationError);
    await expect(remediator.apply(finding, customer, clients, {})).rejects.toThrow('KMS key alias/warden-data does not exist in us-east-1');
    expect(dynamodb).not.toHaveReceivedCommand(UpdateTableCommand);
  });

  it('marks ResourceInUseException (table not ACTIVE) as retryable', async () => {
    dynamodb
      .on(UpdateTableCommand)
      .rejects(new ResourceInUseException({ message: 'Attempt to change a resource which is still in use', $metadata: {} }));
    await expect(remediator.apply(finding, managed, clients, {})).rejects.toThrow(RetryableRemediationError);
  });

  it('marks LimitExceededException as retryable', async () => {
    dynamodb.on(UpdateTableCommand).rejects(new LimitExceededException({ message: 'Subscriber limit exceeded', $metadata: {} }));
    await expect(remediator.apply(finding, managed, clients, {})).rejects.toThrow(RetryableRemediationError);
  });

  it('verifies after waiting out the UPDATING transition', async () => {
    dynamodb
      .on(DescribeTableCommand)
      .resolvesOnce(apiFixture('dynamodb-describe-table-updating'))
      .resolves(apiFixture('dynamodb-describe-table-kms'));
    await expect(remediator.verify(finding, managed, clients, NO_WAIT)).resolves.toMatchObject({ status: 'COMPLIANT' });
    expect(dynamodb).toHaveReceivedCommandTimes(DescribeTableCommand, 2);
  });

  it('fails verification when the table is still on the AWS owned key, or never settles', async () => {
    await expect(remediator.verify(finding, managed, clients, NO_WAIT)).rejects.toThrow(VerificationFailedError);
    dynamodb.on(DescribeTableCommand).resolves(apiFixture('dynamodb-describe-table-updating'));
    await expect(remediator.verify(finding, managed, clients, NO_WAIT)).rejects.toThrow(StillTransitioningError);
  });

  it('undoes back to the AWS owned key, or to the previous KMS key, while the table is on a KMS key', async () => {
    dynamodb.on(DescribeTableCommand).resolves(apiFixture('dynamodb-describe-table-kms'));
    await remediator.undo({ tableName: 'orders', previous: { kind: 'AWS_OWNED' } }, clients);
    expect(dynamodb).toHaveReceivedCommandWith(UpdateTableCommand, { TableName: 'orders', SSESpecification: { Enabled: false } });
    const previous = 'arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
    await remediator.undo({ tableName: 'orders', previous: { kind: 'KMS', kmsKeyArn: previous } }, clients);
    expect(dynamodb).toHaveReceivedCommandWith(UpdateTableCommand, {
      TableName: 'orders',
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: previous },
    });
  });

  it('refuses to undo a table the owner has moved to another key since the fix', async () => {
    dynamodb.on(DescribeTableCommand).resolves(apiFixture('dynamodb-describe-table-kms'));
    const review = await remediator.reviewUndo(
      {
        tableName: 'orders',
        previous: { kind: 'AWS_OWNED' },
        setKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/00000000-1111-2222-3333-444444444444',
      },
      clients,
    );
    expect(review.drift).toEqual([
      { field: 'SSE', warden: expect.stringContaining('00000000-1111'), now: expect.stringContaining('KMS arn:aws:kms') },
    ]);
    expect(dynamodb).not.toHaveReceivedCommand(UpdateTableCommand);
  });
});
