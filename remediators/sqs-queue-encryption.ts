import { DescribeKeyCommand, NotFoundException } from '@aws-sdk/client-kms';
import { GetQueueAttributesCommand, InvalidAttributeValue, KmsNotFound, QueueDoesNotExist, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { isAwsManagedKey } from '../core/aws/kms-keys';
import { SQS_OWNED } from '../core/catalogue/sqs-queue-encryption';
import type { Finding } from '../core/finding';
import { sqsQueueEncryptionDetector as detector } from '../detectors/sqs-queue-encryption';
import { FatalRemediationError } from './errors';
import type { Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

/** The AWS managed key of SQS: its key policy cannot be changed, so no AWS service can send to a queue under it. */
const AWS_MANAGED_KEY = 'alias/aws/sqs';

export interface QueueEncryptionUndo {
  readonly queueUrl: string;
  readonly queueName: string;
  /** What the fix set: SSE-SQS, or SSE-KMS with this key. Undo acts only while the queue still has exactly it. */
  readonly set: { readonly kind: 'SSE_SQS' } | { readonly kind: 'SSE_KMS'; readonly kmsMasterKeyId: string };
}

function attributesFor(kmsKey: string): Record<string, string> {
  return kmsKey === SQS_OWNED ? { SqsManagedSseEnabled: 'true' } : { KmsMasterKeyId: kmsKey };
}

const evidenceOf = (finding: Finding) => finding.evidence as { queueUrl?: string; queueName?: string; servicePublishers?: string[] };

/** Why the policy's key would break delivery to this queue, if it would. */
function breaksPublishers(kmsKey: string, servicePublishers: readonly string[]): string | undefined {
  if (!/(^|:)alias\/aws\/sqs$/.test(kmsKey) || servicePublishers.length === 0) return undefined;
  return (
    `the queue policy lets ${servicePublishers.join(', ')} send to it, and ${AWS_MANAGED_KEY} cannot be granted to AWS services: ` +
    `their messages would fail. Use kmsKey: ${SQS_OWNED}, or a customer managed key whose policy allows them`
  );
}

export const sqsQueueEncryptionRemediator: Remediator<'sqs-queue-encryption', 'sqs' | 'kms', QueueEncryptionUndo> = defineRemediator({
  check: 'sqs-queue-encryption',
  detector,

  plan(finding, settings) {
    const { queueUrl, servicePublishers = [] } = evidenceOf(finding);
    const refusal = breaksPublishers(settings.kmsKey, servicePublishers);
    if (refusal) return { calls: [], notes: [`Warden will not encrypt this queue with ${settings.kmsKey}: ${refusal}.`] };
    const kms = settings.kmsKey !== SQS_OWNED;
    return {
      calls: [{ client: 'SQS', operation: 'SetQueueAttributes', input: { QueueUrl: queueUrl, Attributes: attributesFor(settings.kmsKey) } }],
      notes: [
        'Messages sent from now on are encrypted; messages already in the queue stay as they are. Nothing is unavailable.',
        ...(kms
          ? [
              `Producers need kms:GenerateDataKey and kms:Decrypt on ${settings.kmsKey}, consumers kms:Decrypt; ` +
                (servicePublishers.length > 0 ? `the key policy must allow ${servicePublishers.join(', ')}.` : 'check the key policy allows them.'),
            ]
          : []),
      ],
    };
  },

  async fix({ state }, finding, settings, clients) {
    const refusal = breaksPublishers(settings.kmsKey, state.servicePublishers);
    if (refusal) throw new FatalRemediationError(`queue ${state.queueName}: ${refusal}`);
    if (settings.kmsKey !== SQS_OWNED && !isAwsManagedKey(settings.kmsKey)) {
      try {
        await clients.kms.send(new DescribeKeyCommand({ KeyId: settings.kmsKey }));
      } catch (error) {
        if (error instanceof NotFoundException)
          throw new FatalRemediationError(`KMS key ${settings.kmsKey} does not exist in ${finding.region}`, { cause: error });
        throw error;
      }
    }
    try {
      await clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: state.queueUrl, Attributes: attributesFor(settings.kmsKey) }));
    } catch (error) {
      if (error instanceof QueueDoesNotExist || error instanceof InvalidAttributeValue || error instanceof KmsNotFound)
        throw new FatalRemediationError(`queue ${state.queueName} cannot be encrypted: ${error.name}: ${error.message}`, { cause: error });
      throw error;
    }
    const set: QueueEncryptionUndo['set'] =
      settings.kmsKey === SQS_OWNED ? { kind: 'SSE_SQS' } : { kind: 'SSE_KMS', kmsMasterKeyId: settings.kmsKey };
    return { changed: true, undo: { queueUrl: state.queueUrl, queueName: state.queueName, set } };
  },

  async prepareUndo(record, clients) {
    // Only what Warden set is taken back, and only while the queue still has it.
    const { Attributes = {} } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: record.queueUrl, AttributeNames: ['SqsManagedSseEnabled', 'KmsMasterKeyId'] }),
    );
    const now = { sse: Attributes.SqsManagedSseEnabled === 'true' ? 'true' : 'false', key: Attributes.KmsMasterKeyId ?? '' };
    const left = record.set.kind === 'SSE_SQS' ? { sse: 'true', key: '' } : { sse: 'false', key: record.set.kmsMasterKeyId };
    const drift = [
      ...(now.sse !== left.sse ? [{ field: 'SqsManagedSseEnabled', warden: left.sse, now: now.sse }] : []),
      ...(now.key !== left.key ? [{ field: 'KmsMasterKeyId', warden: left.key || '(none)', now: now.key || '(none)' }] : []),
    ];
    // An empty KmsMasterKeyId turns SSE-KMS off (as Cloud Custodian does it; AWS's reference does not say so),
    // and SSE-SQS goes off by its flag: both are sent, so the queue is left with neither, as before the fix.
    const input = {
      QueueUrl: record.queueUrl,
      Attributes: { SqsManagedSseEnabled: 'false', ...(record.set.kind === 'SSE_KMS' ? { KmsMasterKeyId: '' } : {}) },
    };
    return {
      drift,
      calls: [{ client: 'SQS', operation: 'SetQueueAttributes', input }],
      notes: [`Messages sent to ${record.queueName} from then on are stored unencrypted; messages already stored stay encrypted.`],
      run: async () => void (await clients.sqs.send(new SetQueueAttributesCommand(input))),
    };
  },
});
