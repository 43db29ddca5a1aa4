import {
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  ResourceNotFoundException,
} from '@aws-sdk/client-sns';
import { allowsAction, principalsOf, servicePrincipalsAllowed, statementsOf } from '../core/aws/resource-policy';
import type { Evaluation } from '../core/finding';
import type { Detector, FetchedState } from './detector';

export interface TopicState extends FetchedState {
  readonly topicArn: string;
  readonly topicName: string;
  /** The KMS key as the topic names it (alias, id or ARN); absent when the topic is not encrypted. */
  readonly kmsMasterKeyId?: string;
  /** AWS service principals the topic policy lets publish (their key policy grant is what encryption needs). */
  readonly servicePublishers: readonly string[];
  /**
   * The topic policy lets any principal publish, within conditions (the default policy does, for the
   * account): AWS services of the account publish through it, CloudWatch alarms among them.
   */
  readonly openPublish: boolean;
}

/** Whether an Allow statement of the policy lets every principal (`*`) publish. */
export function openToPublish(policy: string | undefined): boolean {
  return statementsOf(policy).some(
    (statement) => statement.Effect === 'Allow' && principalsOf(statement, 'AWS').includes('*') && allowsAction(statement, 'sns:Publish'),
  );
}

const nameOf = (arn: string) => arn.split(':')[5] ?? arn;

export const snsTopicEncryptionDetector: Detector<'sns-topic-encryption', TopicState, 'sns'> = {
  check: 'sns-topic-encryption',

  async fetch(ref, clients) {
    try {
      const { Attributes = {} } = await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: ref.resourceArn }));
      const topicArn = Attributes['TopicArn'] ?? ref.resourceArn;
      const kmsMasterKeyId = Attributes['KmsMasterKeyId'];
      return {
        resourceArn: topicArn,
        topicArn,
        topicName: nameOf(topicArn),
        ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}),
        servicePublishers: servicePrincipalsAllowed(Attributes['Policy']),
        openPublish: openToPublish(Attributes['Policy']),
        tags: {},
      };
    } catch (error) {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    }
  },

  async tagsOf(state, clients) {
    try {
      const { Tags = [] } = await clients.sns.send(new ListTagsForResourceCommand({ ResourceArn: state.topicArn }));
      return Object.fromEntries(Tags.map(({ Key, Value }) => [Key ?? '', Value ?? '']));
    } catch (error) {
      // ListTagsForResource names a missing topic differently from GetTopicAttributes.
      if (error instanceof ResourceNotFoundException || error instanceof NotFoundException) return undefined;
      throw error;
    }
  },

  // An attribute change applies at once: nothing to wait for.
  transitioning: () => false,

  evaluate(state): Promise<Evaluation> {
    const evidence = {
      topicName: state.topicName,
      ...(state.kmsMasterKeyId ? { kmsMasterKeyId: state.kmsMasterKeyId } : {}),
      servicePublishers: state.servicePublishers,
      openPublish: state.openPublish,
    };
    if (state.kmsMasterKeyId)
      return Promise.resolve({ status: 'COMPLIANT', reason: `topic ${state.topicName} is encrypted with KMS key ${state.kmsMasterKeyId}`, evidence });
    return Promise.resolve({ status: 'NON_COMPLIANT', reason: `topic ${state.topicName} is not encrypted at rest (no KMS key)`, evidence });
  },

  async listPage(clients, { account, region }, cursor) {
    const page = await clients.sns.send(new ListTopicsCommand(cursor ? { NextToken: cursor } : {}));
    const items = (page.Topics ?? []).flatMap(({ TopicArn }) =>
      TopicArn ? [{ ref: { check: 'sns-topic-encryption' as const, account, region, resourceArn: TopicArn } }] : [],
    );
    return { items, ...(page.NextToken ? { next: page.NextToken } : {}) };
  },
};
