import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { queueArnOfUrl, sqsQueueEncryption } from '../../../core/catalogue/sqs-queue-encryption';
import { sqsQueueEncryptionDetector as detector } from '../../../detectors/sqs-queue-encryption';
import { apiFixture } from '../../support/fixtures';
import { listedArns } from '../../support/listed';

const sqs = mockClient(SQSClient);
const clients = { sqs: new SQSClient({ region: 'us-east-1' }) };
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:111122223333:order-events';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/order-events';
const ref = { check: 'sqs-queue-encryption' as const, account: '111122223333', region: 'us-east-1', resourceArn: QUEUE_ARN };
const defaults = sqsQueueEncryption.settings.parse({});

beforeEach(() => {
  sqs.reset();
  sqs.on(GetQueueUrlCommand).resolves(apiFixture('sqs-get-queue-url'));
  sqs.on(ListQueueTagsCommand).resolves(apiFixture('sqs-list-queue-tags'));
});

async function judge(attributes: string) {
  sqs.on(GetQueueAttributesCommand).resolves(apiFixture(attributes));
  const state = await detector.fetch(ref, clients, defaults);
  if (!state) throw new Error('expected a state');
  return { state, evaluation: await detector.evaluate(state, defaults) };
}

describe('sqs-queue-encryption detector', () => {
  it('finds a queue with neither SSE-SQS nor a KMS key noncompliant, and names the service its policy lets send', async () => {
    const { state, evaluation } = await judge('sqs-get-queue-attributes-unencrypted');
    expect(evaluation).toMatchObject({
      status: 'NON_COMPLIANT',
      evidence: { queueName: 'order-events', queueUrl: QUEUE_URL, sqsManagedSse: false, servicePublishers: ['sns.amazonaws.com'] },
    });
    expect(state).toMatchObject({ resourceArn: QUEUE_ARN, tags: { team: 'orders' } });
    expect(sqs).toHaveReceivedCommandWith(GetQueueUrlCommand, { QueueName: 'order-events', QueueOwnerAWSAccountId: '111122223333' });
    expect(sqs).toHaveReceivedCommandWith(GetQueueAttributesCommand, {
      QueueUrl: QUEUE_URL,
      AttributeNames: ['QueueArn', 'SqsManagedSseEnabled', 'KmsMasterKeyId', 'Policy'],
    });
  });

  it.each([
    ['SSE-SQS', 'sqs-get-queue-attributes-sse-sqs', 'SSE-SQS'],
    ['SSE-KMS', 'sqs-get-queue-attributes-kms', 'KMS key alias/orders-data'],
  ])('accepts a queue encrypted with %s', async (_label, fixture, said) => {
    const { evaluation } = await judge(fixture);
    expect(evaluation.status).toBe('COMPLIANT');
    expect(evaluation.reason).toContain(said);
  });

  it('reports a deleted queue as gone, not as a finding', async () => {
    sqs.on(GetQueueUrlCommand).rejects(new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} }));
    await expect(detector.fetch(ref, clients, defaults)).resolves.toBeUndefined();
  });

  it('lets access denied through, to be logged and counted by detection', async () => {
    sqs.on(GetQueueUrlCommand).rejects(Object.assign(new Error('not authorized to perform: sqs:getqueueurl'), { name: 'AccessDenied' }));
    await expect(detector.fetch(ref, clients, defaults)).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('lists every queue of the account, page by page', async () => {
    sqs
      .on(ListQueuesCommand)
      .resolvesOnce({ QueueUrls: [QUEUE_URL], NextToken: 'page-2' })
      .resolvesOnce({ QueueUrls: ['https://sqs.us-east-1.amazonaws.com/111122223333/audit-events.fifo'] });
    const listed: string[] = [];
    listed.push(...(await listedArns(detector, clients, { account: '111122223333', region: 'us-east-1' })));
    expect(listed).toEqual([QUEUE_ARN, 'arn:aws:sqs:us-east-1:111122223333:audit-events.fifo']);
    expect(sqs).toHaveReceivedCommandWith(ListQueuesCommand, { MaxResults: 1000, NextToken: 'page-2' });
  });
});

describe('queueArnOfUrl', () => {
  it.each([
    ['https://sqs.us-east-1.amazonaws.com/111122223333/order-events', 'us-east-1', 'arn:aws:sqs:us-east-1:111122223333:order-events'],
    ['https://queue.amazonaws.com/111122223333/jobs.fifo', 'us-east-1', 'arn:aws:sqs:us-east-1:111122223333:jobs.fifo'],
    ['https://sqs.cn-north-1.amazonaws.com.cn/111122223333/jobs', 'cn-north-1', 'arn:aws-cn:sqs:cn-north-1:111122223333:jobs'],
  ])('%s → %s', (url, region, arn) => {
    expect(queueArnOfUrl(url, region)).toBe(arn);
  });

  it('names no queue for a URL that is not a queue URL', () => {
    expect(queueArnOfUrl('https://example.com/not-a-queue', 'us-east-1')).toBeUndefined();
  });
});
