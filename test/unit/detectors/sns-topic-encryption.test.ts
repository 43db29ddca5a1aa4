import { GetTopicAttributesCommand, ListTagsForResourceCommand, ListTopicsCommand, NotFoundException, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { snsTopicEncryption } from '../../../core/catalogue/sns-topic-encryption';
import { openToPublish, snsTopicEncryptionDetector as detector } from '../../../detectors/sns-topic-encryption';
import { apiFixture } from '../../support/fixtures';
import { listedArns } from '../../support/listed';

const sns = mockClient(SNSClient);
const clients = { sns: new SNSClient({ region: 'us-east-1' }) };
const TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:order-notifications';
const ref = { check: 'sns-topic-encryption' as const, account: '111122223333', region: 'us-east-1', resourceArn: TOPIC_ARN };
const defaults = snsTopicEncryption.settings.parse({});

beforeEach(() => sns.reset());

async function judge(fixture: string) {
  sns.on(GetTopicAttributesCommand).resolves(apiFixture(fixture));
  const state = await detector.fetch(ref, clients, defaults);
  if (!state) throw new Error('expected a state');
  return { state, evaluation: await detector.evaluate(state, defaults) };
}

describe('sns-topic-encryption detector', () => {
  it('finds an unencrypted topic noncompliant and says who may publish: the default policy opens it to the account, AWS services included', async () => {
    const { evaluation } = await judge('sns-get-topic-attributes-default-policy');
    expect(evaluation).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: 'topic order-notifications is not encrypted at rest (no KMS key)',
      evidence: { topicName: 'order-notifications', servicePublishers: [], openPublish: true },
    });
    expect(sns).toHaveReceivedCommandWith(GetTopicAttributesCommand, { TopicArn: TOPIC_ARN });
  });

  it('names the AWS service a topic policy lets publish', async () => {
    const { evaluation } = await judge('sns-get-topic-attributes-eventbridge');
    expect(evaluation.evidence).toMatchObject({ servicePublishers: ['events.amazonaws.com'], openPublish: false });
  });

  it('accepts a topic with a KMS key', async () => {
    const { evaluation } = await judge('sns-get-topic-attributes-kms');
    expect(evaluation).toMatchObject({ status: 'COMPLIANT', evidence: { kmsMasterKeyId: 'alias/orders-notifications' } });
  });

  it('reports a deleted topic as gone, not as a finding', async () => {
    sns.on(GetTopicAttributesCommand).rejects(new NotFoundException({ message: 'Topic does not exist', $metadata: {} }));
    await expect(detector.fetch(ref, clients, defaults)).resolves.toBeUndefined();
  });

  it('lets access denied through, to be logged and counted by detection', async () => {
    sns
      .on(GetTopicAttributesCommand)
      .rejects(Object.assign(new Error('not authorized to perform: SNS:GetTopicAttributes'), { name: 'AuthorizationError' }));
    await expect(detector.fetch(ref, clients, defaults)).rejects.toMatchObject({ name: 'AuthorizationError' });
  });

  it('reads tags only when asked, as SNS lists them', async () => {
    sns.on(ListTagsForResourceCommand).resolves(apiFixture('sns-list-tags-for-resource'));
    const { state } = await judge('sns-get-topic-attributes-default-policy');
    expect(sns).not.toHaveReceivedCommand(ListTagsForResourceCommand);
    await expect(detector.tagsOf!(state, clients)).resolves.toEqual({ team: 'orders' });
  });

  it('lists every topic of the account, page by page', async () => {
    sns
      .on(ListTopicsCommand)
      .resolvesOnce({ Topics: [{ TopicArn: TOPIC_ARN }], NextToken: 'page-2' })
      .resolvesOnce({ Topics: [{ TopicArn: 'arn:aws:sns:us-east-1:111122223333:audit.fifo' }] });
    expect(await listedArns(detector, clients, { account: '111122223333', region: 'us-east-1' })).toEqual([
      TOPIC_ARN,
      'arn:aws:sns:us-east-1:111122223333:audit.fifo',
    ]);
    expect(sns).toHaveReceivedCommandWith(ListTopicsCommand, { NextToken: 'page-2' });
  });

  it('counts only Allow statements that let every principal publish as open', () => {
    const deny = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sns:Publish' }] });
    const subscribe = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Subscribe' }] });
    const all = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sns:*' }] });
    expect([openToPublish(deny), openToPublish(subscribe), openToPublish(all), openToPublish(undefined)]).toEqual([false, false, true, false]);
  });
});
