import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, NotFoundException as KeyNotFound } from '@aws-sdk/client-kms';
import { GetTopicAttributesCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { snsTopicEncryption } from '../../../core/catalogue/sns-topic-encryption';
import { FatalRemediationError, UndoRefusedError, VerificationFailedError } from '../../../remediators/errors';
import { snsTopicEncryptionRemediator as remediator } from '../../../remediators/sns-topic-encryption';
import { apiFixture } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const sns = mockClient(SNSClient);
const kms = mockClient(KMSClient);
const clients = { sns: new SNSClient({ region: 'us-east-1' }), kms: new KMSClient({ region: 'us-east-1' }) };
const TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:order-notifications';
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
const ref = { check: 'sns-topic-encryption' as const, account: '111122223333', region: 'us-east-1', resourceArn: TOPIC_ARN };
const findingWith = (evidence: Record<string, unknown>) =>
  findingFor(ref, {
    reason: 'topic order-notifications is not encrypted at rest (no KMS key)',
    evidence: { topicName: 'order-notifications', ...evidence },
  });
const eventBridge = findingWith({ servicePublishers: ['events.amazonaws.com'], openPublish: false });
const defaultPolicy = findingWith({ servicePublishers: [], openPublish: true });
const accountOnly = findingWith({ servicePublishers: [], openPublish: false });
const awsManaged = snsTopicEncryption.settings.parse({});
const customerKey = snsTopicEncryption.settings.parse({ kmsKey: 'alias/orders-notifications' });

beforeEach(() => {
  sns.reset();
  kms.reset();
  kms
    .on(DescribeKeyCommand)
    .resolves({ KeyMetadata: { KeyId: '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d', Arn: KEY_ARN, KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT' } });
});

describe('sns-topic-encryption remediator', () => {
  it.each([
    ['an AWS service its policy names', eventBridge, /events\.amazonaws\.com publish/],
    ['any principal of the account, as the default policy does', defaultPolicy, /any principal of the account publish.*CloudWatch alarms/],
  ])('refuses the AWS managed key for a topic open to %s: no call, and names the customer managed key that is needed', (_label, finding, why) => {
    const plan = remediator.plan(finding, awsManaged, {});
    expect(plan.calls).toEqual([]);
    expect(plan.notes[0]).toMatch(why);
    expect(plan.notes[0]).toContain('Set checks.sns-topic-encryption.kmsKey to a customer managed key');
  });

  it('plans the AWS managed key for a topic only account principals publish to, and says what publishers need', () => {
    const plan = remediator.plan(accountOnly, awsManaged, {});
    expect(plan.calls).toEqual([
      {
        client: 'SNS',
        operation: 'SetTopicAttributes',
        input: { TopicArn: TOPIC_ARN, AttributeName: 'KmsMasterKeyId', AttributeValue: 'alias/aws/sns' },
      },
    ]);
    expect(plan.notes.join(' ')).toContain('kms:GenerateDataKey* and kms:Decrypt on alias/aws/sns');
  });

  it("plans the policy's customer managed key and names the services its key policy must allow", () => {
    const plan = remediator.plan(eventBridge, customerKey, {});
    expect(plan.calls[0]?.input).toMatchObject({ AttributeValue: 'alias/orders-notifications' });
    expect(plan.notes.join(' ')).toContain('The key policy must allow events.amazonaws.com');
  });

  it('applies the customer managed key once its policy allows the publishing service, and returns what it set', async () => {
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-eventbridge'));
    kms.on(GetKeyPolicyCommand).resolves(apiFixture('kms-get-key-policy-allows-eventbridge'));
    const result = await remediator.apply(eventBridge, customerKey, clients, {});
    expect(kms).toHaveReceivedCommandWith(GetKeyPolicyCommand, { KeyId: KEY_ARN, PolicyName: 'default' });
    expect(sns).toHaveReceivedCommandTimes(SetTopicAttributesCommand, 1);
    expect(sns).toHaveReceivedCommandWith(SetTopicAttributesCommand, remediator.plan(eventBridge, customerKey, {}).calls[0]!.input);
    expect(result).toEqual({
      changed: true,
      undo: { topicArn: TOPIC_ARN, topicName: 'order-notifications', kmsMasterKeyId: 'alias/orders-notifications' },
    });
  });

  it('refuses, changing nothing, a customer managed key whose policy does not allow the publishing service', async () => {
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-eventbridge'));
    kms.on(GetKeyPolicyCommand).resolves(apiFixture('kms-get-key-policy-owner-only'));
    await expect(remediator.apply(eventBridge, customerKey, clients, {})).rejects.toThrow(
      /key policy of alias\/orders-notifications does not allow events\.amazonaws\.com/,
    );
    expect(sns).not.toHaveReceivedCommand(SetTopicAttributesCommand);
  });

  it.each([
    ['disabled', { KeyState: 'Disabled' as const, KeySpec: 'SYMMETRIC_DEFAULT' as const }, /is Disabled, not Enabled/],
    ['asymmetric', { KeyState: 'Enabled' as const, KeySpec: 'RSA_2048' as const }, /RSA_2048; SNS encrypts only with symmetric keys/],
  ])('refuses a %s customer managed key, changing nothing', async (_label, metadata, why) => {
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-eventbridge'));
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, ...metadata } });
    await expect(remediator.apply(eventBridge, customerKey, clients, {})).rejects.toThrow(why);
    expect(sns).not.toHaveReceivedCommand(SetTopicAttributesCommand);
  });

  it('requires CloudWatch in the key policy of a topic any principal of the account may publish to, as alarms do', async () => {
    expect(remediator.plan(defaultPolicy, customerKey, {}).notes.join(' ')).toContain(
      'The key policy must allow cloudwatch.amazonaws.com (CloudWatch because',
    );
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-default-policy'));
    kms.on(GetKeyPolicyCommand).resolves(apiFixture('kms-get-key-policy-allows-eventbridge'));
    await expect(remediator.apply(defaultPolicy, customerKey, clients, {})).rejects.toThrow(/does not allow cloudwatch\.amazonaws\.com/);
    expect(sns).not.toHaveReceivedCommand(SetTopicAttributesCommand);
  });

  it('knows the AWS managed key by its alias ARN too', () => {
    const byArn = snsTopicEncryption.settings.parse({ kmsKey: 'arn:aws:kms:us-east-1:111122223333:alias/aws/sns' });
    expect(remediator.plan(eventBridge, byArn, {}).calls).toEqual([]);
    expect(snsTopicEncryption.policyPermissions(byArn)).toEqual([]);
    expect(
      snsTopicEncryption.policyPermissions(snsTopicEncryption.settings.parse({ kmsKey: 'arn:aws:kms:us-east-1:111122223333:alias/orders' })),
    ).toEqual([
      {
        actions: ['kms:DescribeKey', 'kms:GetKeyPolicy'],
        resources: ['arn:{partition}:kms:{region}:{account}:key/*'],
        conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/orders' } },
      },
    ]);
  });

  it('fails for good, changing nothing, when the key does not exist', async () => {
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-eventbridge'));
    kms.on(DescribeKeyCommand).rejects(new KeyNotFound({ message: 'Alias alias/orders-notifications is not found.', $metadata: {} }));
    await expect(remediator.apply(eventBridge, customerKey, clients, {})).rejects.toBeInstanceOf(FatalRemediationError);
    expect(sns).not.toHaveReceivedCommand(SetTopicAttributesCommand);
  });

  it('refuses the AWS managed key at apply time too, reading the topic policy as it is now', async () => {
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-default-policy'));
    await expect(remediator.apply(accountOnly, awsManaged, clients, {})).rejects.toThrow(/cannot be granted to AWS services/);
    expect(sns).not.toHaveReceivedCommand(SetTopicAttributesCommand);
  });

  it('applies the AWS managed key to an account-only topic with no KMS call', async () => {
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-account-only'));
    await remediator.apply(accountOnly, awsManaged, clients, {});
    expect(sns).toHaveReceivedCommandWith(SetTopicAttributesCommand, {
      TopicArn: TOPIC_ARN,
      AttributeName: 'KmsMasterKeyId',
      AttributeValue: 'alias/aws/sns',
    });
    expect(kms).not.toHaveReceivedAnyCommand();
  });

  it('verifies with the detector: still unencrypted is a verification failure', async () => {
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-account-only'));
    await expect(remediator.verify(accountOnly, awsManaged, clients, NO_WAIT)).rejects.toBeInstanceOf(VerificationFailedError);
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-kms'));
    await expect(remediator.verify(accountOnly, awsManaged, clients, NO_WAIT)).resolves.toMatchObject({ status: 'COMPLIANT' });
  });

  it('undo clears the key Warden set while the topic still has it', async () => {
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-kms'));
    await remediator.undo({ topicArn: TOPIC_ARN, topicName: 'order-notifications', kmsMasterKeyId: 'alias/orders-notifications' }, clients);
    expect(sns).toHaveReceivedCommandWith(SetTopicAttributesCommand, { TopicArn: TOPIC_ARN, AttributeName: 'KmsMasterKeyId', AttributeValue: '' });
  });

  it('undo refuses, and changes nothing, once the owner set another key', async () => {
    sns.on(GetTopicAttributesCommand).resolves(apiFixture('sns-get-topic-attributes-kms'));
    const undo = remediator.undo({ topicArn: TOPIC_ARN, topicName: 'order-notifications', kmsMasterKeyId: 'alias/aws/sns' }, clients);
    await expect(undo).rejects.toBeInstanceOf(UndoRefusedError);
    await expect(undo).rejects.toMatchObject({ drift: [{ field: 'KmsMasterKeyId', warden: 'alias/aws/sns', now: 'alias/orders-notifications' }] });
    expect(sns).not.toHaveReceivedCommand(SetTopicAttributesCommand);
  });
});
