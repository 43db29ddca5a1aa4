import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DocumentClient } from '../../core/aws/document-client';
import type { OpenedTicket } from './providers';

const key = (findingId: string) => `ticket#${findingId}`;
/** A claim older than this is from a crashed run and may be taken over. */
const STALE_CLAIM_SECONDS = 15 * 60;

/** One ticket per finding, in the hub table: a conditional claim, then the key once the provider answers. */
export class TicketStore {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
  ) {}

  /** The finding's ticket if it has one; otherwise claims the right to open it (`claimed`), or reports a run in flight. */
  async claim(findingId: string, now: Date): Promise<{ existing: OpenedTicket } | 'claimed' | 'in-flight'> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await this.client.put({
        TableName: this.tableName,
        Item: { approvalId: key(findingId), state: 'OPENING', claimedAt: nowSeconds, expiresAt: nowSeconds + 90 * 86400 },
        ConditionExpression: 'attribute_not_exists(approvalId) OR (#state = :opening AND claimedAt < :stale)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':opening': 'OPENING', ':stale': nowSeconds - STALE_CLAIM_SECONDS },
      });
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.client.get({ TableName: this.tableName, Key: { approvalId: key(findingId) }, ConsistentRead: true });
    if (Item && typeof Item['ticketKey'] === 'string')
      return { existing: { ticketKey: Item['ticketKey'], ...(typeof Item['url'] === 'string' ? { url: Item['url'] } : {}) } };
    return 'in-flight';
  }

  async opened(findingId: string, ticket: OpenedTicket): Promise<void> {
    await this.client.update({
      TableName: this.tableName,
      Key: { approvalId: key(findingId) },
      UpdateExpression: 'SET #state = :open, ticketKey = :key, #url = :url',
      ExpressionAttributeNames: { '#state': 'state', '#url': 'url' },
      ExpressionAttributeValues: { ':open': 'OPEN', ':key': ticket.ticketKey, ':url': ticket.url ?? '' },
    });
  }

  /** Gives the claim back after a failure, so a later request can try again. */
  async release(findingId: string): Promise<void> {
    await this.client.update({
      TableName: this.tableName,
      Key: { approvalId: key(findingId) },
      UpdateExpression: 'SET claimedAt = :zero',
      ExpressionAttributeValues: { ':zero': 0 },
    });
  }
}
