import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueueTagsCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { sqsQueueEncryption } from '../../../core/catalogue/sqs-queue-encryption';
import { FatalRemediationError, UndoRefusedError, VerificationFailedError } from '../../../remediators/errors';
import { sqsQueueEncryptionRemediator as remediator } from '../../../remediators/sqs-queue-encryption';
import { apiFixture } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const sqs = mockClient(SQSClient);
const kms = mockClient(KMSClient);
const clients = { sqs: new SQSClient({ region: 'us-east-1' }), kms: new KMSClient({ region: 'us-east-1' }) };
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/order-events';
const ref = {
  check: 'sqs-queue-encryption' as const,
  account: '111122223333',
  region: 'us-east-1',
  resourceArn: 'arn:aws:sqs:us-east-1:111122223333:order-events',
};
const finding = findingFor(ref, {
  reason: 'queue order-events is not encrypted at rest',
  evidence: { queueName: 'order-events', queueUrl: QUEUE_URL, sqsManagedSse: false, servicePublishers: ['sns.amazonaws.com'] },
});
const sqsOwned = sqsQueueEncryption.settings.parse({});
const customerKey = sqsQueueEncryption.settings.parse({ kmsKey: 'alias/orders-data' });
const awsManaged = sqsQueueEncryption.settings.parse({ kmsKey: 'alias/aws/sqs' });

beforeEach(() => {
  sqs.reset();
  kms.reset();
  sqs.on(GetQueueUrlCommand).resolves(apiFixture('sqs-get-queue-url'));
  sqs.on(ListQueueTagsCommand).resolves(apiFixture('sqs-list-queue-tags'));
  sqs.on(GetQueueAttributesCommand).resolves(apiFixture('sqs-get-queue-attributes-unencrypted'));
});

describe('sqs-queue-encryption remediator', () => {
  it('plans SSE-SQS by default: one SetQueueAttributes call, and says what changes for messages', () => {
    const plan = remediator.plan(finding, sqsOwned, {});
    expect(plan.calls).toEqual([
      { client: 'SQS', operation: 'SetQueueAttributes', input: { QueueUrl: QUEUE_URL, Attributes: { SqsManagedSseEnabled: 'true' } } },
    ]);
    expect(plan.notes.join(' ')).toContain('messages already in the queue stay as they are');
  });

  it("plans the policy's customer managed key and names the services its key policy must allow", () => {
    const plan = remediator.plan(finding, customerKey, {});
    expect(plan.calls[0]?.input).toEqual({ QueueUrl: QUEUE_URL, Attributes: { KmsMasterKeyId: 'alias/orders-data' } });
    expect(plan.notes.join(' ')).toContain('the key policy must allow sns.amazonaws.com');
  });

  it('knows the AWS managed key by its alias ARN too, and grants a key named by alias ARN by its alias', () => {
    const byArn = sqsQueueEncryption.settings.parse({ kmsKey: 'arn:aws:kms:us-east-1:111122223333:alias/aws/sqs' });
    expect(remediator.plan(finding, byArn, {}).calls).toEqual([]);
    expect(sqsQueueEncryption.policyPermissions(byArn)).toEqual([]);
    expect(
      sqsQueueEncryption.policyPermissions(sqsQueueEncryption.settings.parse({ kmsKey: 'arn:aws:kms:us-east-1:111122223333:alias/orders-data' })),
    ).toEqual([
      {
        actions: ['kms:DescribeKey'],
        resources: ['arn:{partition}:kms:{region}:{account}:key/*'],
        conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/orders-data' } },
      },
    ]);
  });

  it('plans nothing with the AWS managed key for a queue an AWS service sends to, and says why', () => {
    const plan = remediator.plan(finding, awsManaged, {});
    expect(plan.calls).toEqual([]);
    expect(plan.notes[0]).toMatch(/will not encrypt this queue with alias\/aws\/sqs.*sns\.amazonaws\.com.*kmsKey: sqs-owned/);
  });

  it('applies exactly the planned call and returns what it set, for the undo', async () => {
    const result = await remediator.apply(finding, sqsOwned, clients, {});
    expect(sqs).toHaveReceivedCommandTimes(SetQueueAttributesCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(SetQueueAttributesCommand, remediator.plan(finding, sqsOwned, {}).calls[0]!.input);
    expect(result).toEqual({ changed: true, undo: { queueUrl: QUEUE_URL, queueName: 'order-events', set: { kind: 'SSE_SQS' } } });
    expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
  });

  it('checks a customer managed key exists before it sets it, and fails for good when it does not', async () => {
    kms.on(DescribeKeyCommand).rejects(new NotFoundException({ message: 'Alias alias/orders-data is not found.', $metadata: {} }));
    await expect(remediator.apply(finding, customerKey, clients, {})).rejects.toBeInstanceOf(FatalRemediationError);
    expect(sqs).not.toHaveReceivedCommand(SetQueueAttributesCommand);
  });

  it('refuses the AWS managed key at apply time too, for a queue an AWS service sends to', async () => {
    await expect(remediator.apply(finding, awsManaged, clients, {})).rejects.toThrow(/sns\.amazonaws\.com.*cannot be granted/);
    expect(sqs).not.toHaveReceivedCommand(SetQueueAttributesCommand);
  });

  it('changes nothing on a queue that is encrypted by now', async () => {
    sqs.on(GetQueueAttributesCommand).resolves(apiFixture('sqs-get-queue-attributes-sse-sqs'));
    await expect(remediator.apply(finding, sqsOwned, clients, {})).resolves.toEqual({ changed: false });
    expect(sqs).not.toHaveReceivedCommand(SetQueueAttributesCommand);
  });

  it('verifies with the detector: still unencrypted is a verification failure', async () => {
    await expect(remediator.verify(finding, sqsOwned, clients, NO_WAIT)).rejects.toBeInstanceOf(VerificationFailedError);
    sqs.on(GetQueueAttributesCommand).resolves(apiFixture('sqs-get-queue-attributes-sse-sqs'));
    await expect(remediator.verify(finding, sqsOwned, clients, NO_WAIT)).resolves.toMatchObject({ status: 'COMPLIANT' });
  });

  it('undo turns SSE-SQS off while the queue is as Warden left it', async () => {
    sqs.on(GetQueueAttributesCommand).resolves(apiFixture('sqs-get-queue-attributes-sse-sqs'));
    await remediator.undo({ queueUrl: QUEUE_URL, queueName: 'order-events', set: { kind: 'SSE_SQS' } }, clients);
    expect(sqs).toHaveReceivedCommandWith(SetQueueAttributesCommand, { QueueUrl: QUEUE_URL, Attributes: { SqsManagedSseEnabled: 'false' } });
  });

  it('undo of SSE-KMS clears the key Warden set', async () => {
    sqs.on(GetQueueAttributesCommand).resolves(apiFixture('sqs-get-queue-attributes-kms'));
    await remediator.undo({ queueUrl: QUEUE_URL, queueName: 'order-events', set: { kind: 'SSE_KMS', kmsMasterKeyId: 'alias/orders-data' } }, clients);
    expect(sqs).toHaveReceivedCommandWith(SetQueueAttributesCommand, {
      QueueUrl: QUEUE_URL,
      Attributes: { SqsManagedSseEnabled: 'false', KmsMasterKeyId: '' },
    });
  });

  it('undo refuses, and changes nothing, when the owner has changed the encryption since', async () => {
    sqs.on(GetQueueAttributesCommand).resolves(apiFixture('sqs-get-queue-attributes-kms'));
    const undo = remediator.undo({ queueUrl: QUEUE_URL, queueName: 'order-events', set: { kind: 'SSE_SQS' } }, clients);
    await expect(undo).rejects.toBeInstanceOf(UndoRefusedError);
    await expect(undo).rejects.toMatchObject({
      drift: [
        { field: 'SqsManagedSseEnabled', warden: 'true', now: 'false' },
        { field: 'KmsMasterKeyId', warden: '(none)', now: 'alias/orders-data' },
      ],
    });
    expect(sqs).not.toHaveReceivedCommand(SetQueueAttributesCommand);
  });
});
