import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * A noncompliant resource its owner chose to keep as it is: recorded when a person undoes Warden's fix
 * (`warden undo`), with who, why and until when. Until then the detector treats the resource as exempt,
 * so the undo is not fixed again by its own CloudTrail event or the next sweep, and the audit trail
 * records EXEMPTED with this acceptance as the reason.
 */
export interface AcceptedRisk {
  readonly check: string;
  readonly resourceArn: string;
  /** The finding whose fix was undone. */
  readonly findingId: string;
  /** Who accepted it (the caller's ARN). */
  readonly by: string;
  readonly reason: string;
  /** ISO time it lapses; afterwards the resource is judged and fixed again as the policy says. */
  readonly until: string;
}

/** The member stack's export of its counters table name: one per account and region, found by `warden undo`. */
export const COUNTER_TABLE_EXPORT = 'Warden-CounterTableName';

const keyOf = (check: string, resourceArn: string) => ({ pk: { S: `accepted#${check}#${resourceArn}` } });

/** Accepted risks, in the member's counters table (one item per check and resource, expiring by TTL). */
export class AcceptedRisks {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The acceptance in force for the resource at `now`, if any. */
  async find(check: string, resourceArn: string, now: Date): Promise<AcceptedRisk | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: keyOf(check, resourceArn), ConsistentRead: true }));
    const until = Item?.['until']?.S;
    if (!Item || !until || Date.parse(until) <= now.getTime()) return undefined;
    return {
      check,
      resourceArn,
      findingId: Item['findingId']?.S ?? '',
      by: Item['by']?.S ?? 'unknown',
      reason: Item['reason']?.S ?? '',
      until,
    };
  }

  async accept(risk: AcceptedRisk): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...keyOf(risk.check, risk.resourceArn),
          findingId: { S: risk.findingId },
          by: { S: risk.by },
          reason: { S: risk.reason },
          until: { S: risk.until },
          // DynamoDB's TTL removes the item a day after it lapses; `find` ignores it from `until` on.
          expiresAt: { N: String(Math.floor(Date.parse(risk.until) / 1000) + 86_400) },
        },
      }),
    );
  }
}
