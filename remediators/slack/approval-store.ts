import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DocumentClient } from '../../core/aws/document-client';

export type ApprovalState = 'PENDING' | 'DELIVERING' | 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'UNCONFIRMED';

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
  readonly state: ApprovalState;
  /**
   * `confirm`: the owner of a staged fix confirms their change is made, so the second phase may go ahead
   * (one per execution, beside the fix's own approval). Absent: the approval of a fix.
   */
  readonly purpose?: 'confirm';
  /** The resource's owner, when a Slack user id: they may decide a confirmation beside the approvers. */
  readonly owner?: string;
  /** Where the request was posted; a click from any other workspace or channel is refused. */
  readonly slackTeam?: string;
  readonly slackChannel?: string;
  readonly slackTs?: string;
  /** The first decision claimed. A lease taken over later delivers this one, never the later click's. */
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly decision?: 'APPROVED' | 'REJECTED';
  /** Epoch milliseconds until which the claimer holds the delivery; past it, the next click or the sweep takes over. */
  readonly leaseUntil?: number;
  /** An earlier delivery may have reached the workflow (a holder died, or a call failed ambiguously). */
  readonly uncertain?: boolean;
}

export type ClaimResult =
  | { readonly claimed: Approval; readonly takenOver: boolean }
  | { readonly refused: 'unknown' | 'expired' | 'decided' | 'in-flight' | 'unbound' | 'foreign-channel'; readonly approval?: Approval };

/**
 * Where a click came from. The channel and the message's ts name the very message Warden posted (channel
 * ids are unique within a Slack organization); the team is compared when Slack sends one (an org-wide
 * Enterprise Grid install sends `team: null`).
 */
export interface SlackBinding {
  readonly team?: string;
  readonly channel: string;
  readonly ts: string;
}

/** How long a claimer holds the delivery: longer than the function's timeout, so a live holder is never overtaken. */
export const LEASE_MS = 60_000;

const guardKey = (approval: Pick<Approval, 'executionArn' | 'purpose'>) =>
  `execution#${approval.executionArn}${approval.purpose ? `#${approval.purpose}` : ''}`;

/** Approvals in the hub table; every state change is a conditional write, so each approval is decided once. */
export class ApprovalStore {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores the approval, once per execution and purpose (EventBridge delivers at least once): a guard
   * item per execution and purpose names the approval. A repeated request gets the approval the first one stored (and stores
   * it, if the first died between the guard and the approval), so it can finish posting what the first
   * could not.
   */
  async create(approval: Approval): Promise<{ readonly approval: Approval; readonly first: boolean }> {
    let stored = approval;
    let first = true;
    try {
      await this.client.put({
        TableName: this.tableName,
        Item: { approvalId: guardKey(approval), ref: approval.approvalId, expiresAt: approval.expiresAt },
        ConditionExpression: 'attribute_not_exists(approvalId)',
      });
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.client.get({ TableName: this.tableName, Key: { approvalId: guardKey(approval) }, ConsistentRead: true });
      stored = { ...approval, approvalId: String(Item?.['ref']) };
      first = false;
    }
    try {
      await this.client.put({ TableName: this.tableName, Item: stored, ConditionExpression: 'attribute_not_exists(approvalId)' });
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || first) throw error;
    }
    return { approval: (first ? stored : await this.get(stored.approvalId)) ?? stored, first };
  }

  /** Records where Slack posted the request (its team, channel and message), once. */
  async bind(approvalId: string, binding: Required<SlackBinding>): Promise<void> {
    await this.client.update({
      TableName: this.tableName,
      Key: { approvalId },
      UpdateExpression: 'SET slackTeam = :team, slackChannel = :channel, slackTs = :ts',
      ConditionExpression: 'attribute_exists(taskToken) AND attribute_not_exists(slackChannel)',
      ExpressionAttributeValues: { ':team': binding.team, ':channel': binding.channel, ':ts': binding.ts },
    });
  }

  async get(approvalId: string): Promise<Approval | undefined> {
    const { Item } = await this.client.get({ TableName: this.tableName, Key: { approvalId }, ConsistentRead: true });
    return Item && 'taskToken' in Item ? (Item as unknown as Approval) : undefined;
  }

  /**
   * PENDING → DELIVERING under a lease, only from the channel it was posted to and before it expires: the
   * single-use step. A DELIVERING approval whose lease ran out (its holder died) is taken over, keeping the
   * first decision and marking the delivery uncertain.
   */
  async claim(approvalId: string, decision: 'APPROVED' | 'REJECTED', actor: string, from: SlackBinding | undefined, now: Date): Promise<ClaimResult> {
    const fresh = await this.conditionalClaim(
      approvalId,
      'SET #state = :delivering, leaseUntil = :lease, decision = :decision, decidedBy = :actor, decidedAt = :at',
      'expiresAt > :now AND #state = :pending',
      {
        ':pending': 'PENDING',
        ':delivering': 'DELIVERING',
        ':now': Math.floor(now.getTime() / 1000),
        ':decision': decision,
        ':actor': actor,
        ':at': now.toISOString(),
      },
      from,
      now,
    );
    if (fresh) return { claimed: fresh, takenOver: false };
    const taken = await this.takeOver(approvalId, from, now);
    if (taken) return { claimed: taken, takenOver: true };
    return this.whyRefused(approvalId, from, now);
  }

  /**
   * Takes over a stale lease (the sweep, or a click while the holder is gone); from anywhere when `from` is
   * undefined. Even past expiry: the decision was taken in time and may have reached the workflow.
   */
  async takeOver(approvalId: string, from: SlackBinding | undefined, now: Date): Promise<Approval | undefined> {
    return this.conditionalClaim(
      approvalId,
      'SET leaseUntil = :lease, uncertain = :true',
      '#state = :delivering AND leaseUntil < :nowMs',
      { ':delivering': 'DELIVERING', ':true': true, ':nowMs': now.getTime() },
      from,
      now,
    );
  }

  private async conditionalClaim(
    approvalId: string,
    update: string,
    stateCondition: string,
    values: Record<string, unknown>,
    from: SlackBinding | undefined,
    now: Date,
  ): Promise<Approval | undefined> {
    const binding = from ? ` AND slackChannel = :channel AND slackTs = :ts${from.team ? ' AND slackTeam = :team' : ''}` : '';
    try {
      const { Attributes } = await this.client.update({
        TableName: this.tableName,
        Key: { approvalId },
        UpdateExpression: update,
        ConditionExpression: `attribute_exists(taskToken)${binding} AND ${stateCondition}`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ...values,
          ':lease': now.getTime() + LEASE_MS,
          ...(from ? { ':channel': from.channel, ':ts': from.ts, ...(from.team ? { ':team': from.team } : {}) } : {}),
        },
        ReturnValues: 'ALL_NEW',
      });
      return Attributes as unknown as Approval;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  private async whyRefused(approvalId: string, from: SlackBinding | undefined, now: Date): Promise<ClaimResult> {
    const approval = await this.get(approvalId);
    if (!approval) return { refused: 'unknown' };
    if (from && !approval.slackChannel) return { refused: 'unbound', approval };
    if (
      from &&
      (approval.slackChannel !== from.channel || approval.slackTs !== from.ts || (from.team !== undefined && approval.slackTeam !== from.team))
    )
      return { refused: 'foreign-channel', approval };
    if (approval.state === 'DELIVERING') return { refused: 'in-flight', approval };
    if (approval.state === 'PENDING' || approval.expiresAt <= Math.floor(now.getTime() / 1000) || approval.state === 'EXPIRED')
      return { refused: 'expired', approval };
    return { refused: 'decided', approval };
  }

  /** DELIVERING → the outcome, only by the lease holder (the lease it claimed is still the current one). */
  async settle(approval: Approval, state: 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'UNCONFIRMED'): Promise<void> {
    await this.client.update({
      TableName: this.tableName,
      Key: { approvalId: approval.approvalId },
      UpdateExpression: 'SET #state = :state REMOVE leaseUntil',
      ConditionExpression: '#state = :delivering AND leaseUntil = :lease',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':state': state, ':delivering': 'DELIVERING', ':lease': approval.leaseUntil },
    });
  }

  /** The delivery stays uncertain (an ambiguous failure): the lease runs out and the next attempt resends. */
  async markUncertain(approval: Approval): Promise<void> {
    await this.client.update({
      TableName: this.tableName,
      Key: { approvalId: approval.approvalId },
      UpdateExpression: 'SET uncertain = :true, leaseUntil = :expired',
      ConditionExpression: '#state = :delivering AND leaseUntil = :lease',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':true': true, ':expired': 0, ':delivering': 'DELIVERING', ':lease': approval.leaseUntil },
    });
  }

  /** DELIVERING → PENDING when nothing reached the workflow, so the next click decides afresh. */
  async release(approval: Approval): Promise<void> {
    await this.client.update({
      TableName: this.tableName,
      Key: { approvalId: approval.approvalId },
      UpdateExpression: 'SET #state = :pending REMOVE decision, decidedBy, decidedAt, leaseUntil',
      ConditionExpression: '#state = :delivering AND leaseUntil = :lease AND attribute_not_exists(uncertain)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pending': 'PENDING', ':delivering': 'DELIVERING', ':lease': approval.leaseUntil },
    });
  }

  /** Pending approvals that expire within `withinSeconds`, and deliveries whose lease ran out (the table is small). */
  async needingAttention(withinSeconds: number, now: Date): Promise<{ nearingExpiry: Approval[]; staleLeases: Approval[] }> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const found: Approval[] = [];
    const scan = {
      TableName: this.tableName,
      FilterExpression:
        'attribute_exists(taskToken) AND ((#state = :pending AND expiresAt BETWEEN :now AND :soon) OR (#state = :delivering AND leaseUntil < :nowMs))',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':pending': 'PENDING',
        ':delivering': 'DELIVERING',
        ':now': nowSeconds,
        ':soon': nowSeconds + withinSeconds,
        ':nowMs': now.getTime(),
      },
    };
    for await (const page of this.client.scanPages(scan)) found.push(...(page.Items as unknown as Approval[]));
    return {
      nearingExpiry: found.filter((approval) => approval.state === 'PENDING'),
      staleLeases: found.filter((approval) => approval.state === 'DELIVERING'),
    };
  }
}
