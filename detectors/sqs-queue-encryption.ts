import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, ListQueueTagsCommand, QueueDoesNotExist } from '@aws-sdk/client-sqs';
import { servicePrincipalsAllowed } from '../core/aws/resource-policy';
import { awsErrorName } from '../core/errors';
import type { Evaluation } from '../core/finding';
import { queueArnOfUrl } from '../core/catalogue/sqs-queue-encryption';
import type { Detector, FetchedState } from './detector';

export interface QueueState extends FetchedState {
  readonly queueName: string;
  readonly queueUrl: string;
  readonly sqsManagedSse: boolean;
  /** The KMS key of SSE-KMS as the queue names it (alias, id or ARN); absent without SSE-KMS. */
  readonly kmsMasterKeyId?: string;
  /** AWS service principals the queue policy lets send to the queue (they need the KMS key's policy to allow them). */
  readonly servicePublishers: readonly string[];
}

/** `arn:aws:sqs:us-east-1:111122223333:orders` → its account and name. */
function queueOfArn(arn: string): { account: string; name: string } {
  const [, , , , account = '', name = ''] = arn.split(':');
  return { account, name };
}

const isMissing = (error: unknown) =>
  error instanceof QueueDoesNotExist || ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'].includes(awsErrorName(error) ?? '');

export const sqsQueueEncryptionDetector: Detector<'sqs-queue-encryption', QueueState, 'sqs'> = {
  check: 'sqs-queue-encryption',

  async fetch(ref, clients) {
    const { account, name } = queueOfArn(ref.resourceArn);
    try {
      const { QueueUrl: queueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
      if (!queueUrl) return undefined;
      const { Attributes = {} } = await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'SqsManagedSseEnabled', 'KmsMasterKeyId', 'Policy'] }),
      );
      const { Tags = {} } = await clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }));
      const kmsMasterKeyId = Attributes.KmsMasterKeyId;
      return {
        ...(Attributes.QueueArn ? { resourceArn: Attributes.QueueArn } : {}),
        queueName: name,
        queueUrl,
        sqsManagedSse: Attributes.SqsManagedSseEnabled === 'true',
        ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}),
        servicePublishers: servicePrincipalsAllowed(Attributes.Policy),
        tags: Tags,
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },

  // Attribute changes take effect at once (SQS says within a minute, for messages only): nothing to wait for.
  transitioning: () => false,

  evaluate(state): Promise<Evaluation> {
    const evidence = {
      queueName: state.queueName,
      queueUrl: state.queueUrl,
      sqsManagedSse: state.sqsManagedSse,
      ...(state.kmsMasterKeyId ? { kmsMasterKeyId: state.kmsMasterKeyId } : {}),
      servicePublishers: state.servicePublishers,
    };
    if (state.kmsMasterKeyId)
      return Promise.resolve({ status: 'COMPLIANT', reason: `queue ${state.queueName} is encrypted with KMS key ${state.kmsMasterKeyId}`, evidence });
    if (state.sqsManagedSse) return Promise.resolve({ status: 'COMPLIANT', reason: `queue ${state.queueName} is encrypted with SSE-SQS`, evidence });
    return Promise.resolve({
      status: 'NON_COMPLIANT',
      reason: `queue ${state.queueName} is not encrypted at rest (neither SSE-SQS nor a KMS key)`,
      evidence,
    });
  },

  async listPage(clients, { account, region }, cursor) {
    // NextToken comes only with MaxResults.
    const page = await clients.sqs.send(new ListQueuesCommand({ MaxResults: 1000, ...(cursor ? { NextToken: cursor } : {}) }));
    const items = (page.QueueUrls ?? []).flatMap((url) => {
      const resourceArn = queueArnOfUrl(url, region);
      return resourceArn ? [{ ref: { check: 'sqs-queue-encryption' as const, account, region, resourceArn } }] : [];
    });
    return { items, ...(page.NextToken ? { next: page.NextToken } : {}) };
  },
};
