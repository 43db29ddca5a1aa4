import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/** A pending approval. The task token stays in this table: it never goes to Slack or a log. */
export interface Approval {
  readonly approvalId: string;
  readonly taskToken: string;
  readonly account: string;
  readonly region: string;
  readonly executionArn: string;
  readonly findingId: string;
  readonly check: string;
  readonly resourceArn: string;
  /** Epoch seconds; also the table's TTL attribute. */
  readonly expiresAt: number;
  readonly state: 'PENDING' | 'DELIVERING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly decision?: 'APPROVED' | 'REJECTED';
}

export type ClaimResult = { readonly claimed: Approval } | { readonly refused: 'unknown' | 'expired' | 'decided'; readonly approval?: Approval };

const guardKey = (executionArn: string) => `execution#${executionArn}`;

/** Approvals in the hub table; every state change is a conditional write, so each approval is decided once. */
export class ApprovalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores a new approval, unless this execution already has one (EventBridge delivers at least once). */
  async create(approval: Approval): Promise<'created' | 'duplicate'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { approvalId: guardKey(approval.executionArn), ref: approval.approvalId, expiresAt: approval.expiresAt },
          ConditionExpression: 'attribute_not_exists(approvalId)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: approval, ConditionExpression: 'attribute_not_exists(approvalId)' }));
    return 'created';
  }

  async get(approvalId: string): Promise<Approval | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { approvalId }, ConsistentRead: true }));
    return Item && 'taskToken' in Item ? (Item as Approval) : undefined;
  }

  /** PENDING → DELIVERING, only if still pending and not expired: the single-use step. */
  async claim(approvalId: string, decision: 'APPROVED' | 'REJECTED', actor: string, now: Date): Promise<ClaimResult> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { approvalId },
          UpdateExpression: 'SET #state = :delivering, decision = :decision, decidedBy = :actor, decidedAt = :at',
          ConditionExpression: 'attribute_exists(taskToken) AND #state = :pending AND expiresAt > :now',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':delivering': 'DELIVERING', ':pending': 'PENDING', ':decision': decision, ':actor': actor, ':at': now.toISOString(), ':now': Math.floor(now.getTime() / 1000) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { claimed: Attributes as Approval };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const approval = await this.get(approvalId);
      if (!approval) return { refused: 'unknown' };
      if (approval.state === 'PENDING' || approval.state === 'EXPIRED') return { refused: 'expired', approval };
      return { refused: 'decided', approval };
    }
  }

  /** DELIVERING → the decision (or EXPIRED when the workflow had stopped waiting). */
  async settle(approvalId: string, state: 'APPROVED' | 'REJECTED' | 'EXPIRED'): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { approvalId },
        UpdateExpression: 'SET #state = :state',
        ConditionExpression: '#state = :delivering',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':state': state, ':delivering': 'DELIVERING' },
      }),
    );
  }

  /** DELIVERING → PENDING after a transient delivery failure, so Slack's retry can deliver. */
  async release(approvalId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { approvalId },
        UpdateExpression: 'SET #state = :pending REMOVE decision, decidedBy, decidedAt',
        ConditionExpression: '#state = :delivering',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':pending': 'PENDING', ':delivering': 'DELIVERING' },
      }),
    );
  }

  /** Pending approvals that expire within `withinSeconds` (the table is small: one item per open request). */
  async nearingExpiry(withinSeconds: number, now: Date): Promise<Approval[]> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const found: Approval[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'attribute_exists(taskToken) AND #state = :pending AND expiresAt BETWEEN :now AND :soon',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':now': nowSeconds, ':soon': nowSeconds + withinSeconds },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...((page.Items ?? []) as Approval[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }
}
