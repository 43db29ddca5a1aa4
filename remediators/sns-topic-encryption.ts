import { DescribeKeyCommand, GetKeyPolicyCommand, type KMSClient, NotFoundException as KeyNotFound } from '@aws-sdk/client-kms';
import { GetTopicAttributesCommand, InvalidParameterException, NotFoundException, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { allowsAction, principalsOf, statementsOf } from '../core/aws/resource-policy';
import { isAwsManagedKey } from '../core/aws/kms-keys';
import { SNS_AWS_MANAGED_KEY } from '../core/catalogue/sns-topic-encryption';
import type { Finding } from '../core/finding';
import { snsTopicEncryptionDetector as detector } from '../detectors/sns-topic-encryption';
import { FatalRemediationError } from './errors';
import type { PlannedCall, Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

export interface TopicEncryptionUndo {
  readonly topicArn: string;
  readonly topicName: string;
  /** The key the fix set: undo acts only while the topic still has exactly it. */
  readonly kmsMasterKeyId: string;
}

interface Publishers {
  readonly servicePublishers: readonly string[];
  readonly openPublish: boolean;
}

const keyInput = (topicArn: string, key: string) => ({ TopicArn: topicArn, AttributeName: 'KmsMasterKeyId', AttributeValue: key });
const setKey = (topicArn: string, key: string): PlannedCall => ({ client: 'SNS', operation: 'SetTopicAttributes', input: keyInput(topicArn, key) });

/** Why encrypting with the AWS managed key would stop AWS services delivering to this topic, if it would. */
function breaksPublishers(kmsKey: string, { servicePublishers, openPublish }: Publishers): string | undefined {
  if (!isAwsManagedKey(kmsKey)) return undefined;
  const who = [
    ...(servicePublishers.length > 0 ? [`its policy lets ${servicePublishers.join(', ')} publish`] : []),
    ...(openPublish ? ['its policy lets any principal of the account publish, which is how CloudWatch alarms and other AWS services do'] : []),
  ];
  if (who.length === 0) return undefined;
  return (
    `${who.join(', and ')}; ${SNS_AWS_MANAGED_KEY} cannot be granted to AWS services, so their messages would stop. ` +
    'Set checks.sns-topic-encryption.kmsKey to a customer managed key whose key policy allows kms:GenerateDataKey* and kms:Decrypt to those services'
  );
}

/**
 * The AWS services that must be able to use the key: those the topic policy names, and CloudWatch when the
 * policy lets any principal of the account publish (alarms publish through that statement).
 */
export function servicesNeedingTheKey({ servicePublishers, openPublish }: Publishers): string[] {
  return [...new Set([...servicePublishers, ...(openPublish ? ['cloudwatch.amazonaws.com'] : [])])].sort();
}

/**
 * Why a customer managed key cannot encrypt the topic without breaking delivery, if it cannot: it must exist,
 * be enabled and symmetric (SNS accepts no other), and its policy must let each publishing service use it.
 */
async function keyRefusal(kms: Pick<KMSClient, 'send'>, kmsKey: string, services: readonly string[], region: string): Promise<string | undefined> {
  let metadata;
  try {
    metadata = (await kms.send(new DescribeKeyCommand({ KeyId: kmsKey }))).KeyMetadata;
  } catch (error) {
    if (error instanceof KeyNotFound) throw new FatalRemediationError(`KMS key ${kmsKey} does not exist in ${region}`, { cause: error });
    throw error;
  }
  if (metadata?.KeyState !== 'Enabled') return `KMS key ${kmsKey} is ${metadata?.KeyState ?? 'in an unknown state'}, not Enabled`;
  if (metadata.KeySpec !== undefined && metadata.KeySpec !== 'SYMMETRIC_DEFAULT')
    return `KMS key ${kmsKey} is ${metadata.KeySpec}; SNS encrypts only with symmetric keys`;
  const refused = await servicesTheKeyRefuses(kms, metadata.Arn ?? kmsKey, services);
  return refused.length > 0
    ? `the key policy of ${kmsKey} does not allow ${refused.join(', ')} kms:GenerateDataKey* and kms:Decrypt; their messages would stop. ` +
        'Add those services to the key policy, then fix again'
    : undefined;
}

/** The publishing services a key's policy does not let encrypt for the topic. */
async function servicesTheKeyRefuses(kms: Pick<KMSClient, 'send'>, keyArn: string, services: readonly string[]): Promise<string[]> {
  if (services.length === 0) return [];
  const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
  const allows = (service: string, action: string) =>
    statementsOf(Policy).some(
      (statement) => statement.Effect === 'Allow' && principalsOf(statement, 'Service').includes(service) && allowsAction(statement, action),
    );
  return services.filter((service) => !allows(service, 'kms:GenerateDataKey') || !allows(service, 'kms:Decrypt'));
}

const publishersOf = (finding: Finding): Publishers => {
  const { servicePublishers = [], openPublish = false } = finding.evidence as Partial<Publishers>;
  return { servicePublishers, openPublish };
};

export const snsTopicEncryptionRemediator: Remediator<'sns-topic-encryption', 'sns' | 'kms', TopicEncryptionUndo> = defineRemediator({
  check: 'sns-topic-encryption',
  detector,

  plan(finding, settings) {
    const publishers = publishersOf(finding);
    const refusal = breaksPublishers(settings.kmsKey, publishers);
    if (refusal) return { calls: [], notes: [`Warden will not encrypt this topic with ${settings.kmsKey}: ${refusal}.`] };
    const { openPublish } = publishers;
    const services = servicesNeedingTheKey(publishers);
    return {
      calls: [setKey(finding.resourceArn, settings.kmsKey)],
      notes: [
        `Every publisher needs kms:GenerateDataKey* and kms:Decrypt on ${settings.kmsKey} from then on; a publisher without them gets KMSAccessDenied and its messages are lost: their owners must grant it before this is applied.`,
        ...(isAwsManagedKey(settings.kmsKey) || services.length === 0
          ? []
          : [
              `The key policy must allow ${services.join(', ')}` +
                (openPublish ? ' (CloudWatch because the topic policy lets any principal of the account publish, as alarms do)' : '') +
                '; the fix checks it, and that the key is enabled and symmetric, and refuses otherwise.',
            ]),
        'Subscribers are unaffected: SNS decrypts before delivery.',
      ],
    };
  },

  async fix({ state }, finding, settings, clients) {
    const refusal = breaksPublishers(settings.kmsKey, state);
    if (refusal) throw new FatalRemediationError(`topic ${state.topicName}: ${refusal}`);
    if (!isAwsManagedKey(settings.kmsKey)) {
      const why = await keyRefusal(clients.kms, settings.kmsKey, servicesNeedingTheKey(state), finding.region);
      if (why) throw new FatalRemediationError(`topic ${state.topicName}: ${why}`);
    }
    try {
      await clients.sns.send(new SetTopicAttributesCommand(keyInput(state.topicArn, settings.kmsKey)));
    } catch (error) {
      if (error instanceof NotFoundException || error instanceof InvalidParameterException)
        throw new FatalRemediationError(`topic ${state.topicName} cannot be encrypted: ${error.name}: ${error.message}`, { cause: error });
      throw error;
    }
    return { changed: true, undo: { topicArn: state.topicArn, topicName: state.topicName, kmsMasterKeyId: settings.kmsKey } };
  },

  async prepareUndo(record, clients) {
    let Attributes: Record<string, string> = {};
    try {
      Attributes = (await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: record.topicArn }))).Attributes ?? {};
    } catch (error) {
      if (error instanceof NotFoundException) throw new FatalRemediationError(`topic ${record.topicName} no longer exists`, { cause: error });
      throw error;
    }
    const now = Attributes['KmsMasterKeyId'] ?? '';
    const drift = now === record.kmsMasterKeyId ? [] : [{ field: 'KmsMasterKeyId', warden: record.kmsMasterKeyId, now: now || '(none)' }];
    // An empty KmsMasterKeyId turns server-side encryption off.
    const input = keyInput(record.topicArn, '');
    return {
      drift,
      calls: [setKey(record.topicArn, '')],
      notes: [`Messages published to ${record.topicName} from then on are stored unencrypted until delivered.`],
      run: async () => void (await clients.sns.send(new SetTopicAttributesCommand(input))),
    };
  },
});
