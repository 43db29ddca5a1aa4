import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

/** One time Warden started to fix a resource automatically, and who made the change it was fixing. */
export interface Break {
  /** ISO time of the detection. */
  readonly at: string;
  /** The CloudTrail principal of the change, or how it was found (`sweep`, `config`). */
  readonly by: string;
}

/** The most automatic fixes of one resource kept: enough for any sensible window. */
const KEPT = 50;

const keyOf = (check: string, resourceArn: string) => ({ pk: { S: `breaks#${check}#${resourceArn}` } });

/**
 * The automatic fixes of one resource, in the member's counters table: when a resource keeps breaking
 * again after Warden fixed it, detection stops fixing it and asks a human instead (flapping).
 */
export class Rebreaks {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The breaks within the window before `now`, oldest first, and whether this flapping spell has its ticket. */
  async recent(check: string, resourceArn: string, now: Date, windowSeconds: number): Promise<{ breaks: Break[]; ticketed: boolean }> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: keyOf(check, resourceArn), ConsistentRead: true }));
    const since = now.getTime() - windowSeconds * 1000;
    const breaks = (Item?.['breaks']?.L ?? [])
      .map((entry) => ({ at: entry.M?.['at']?.S ?? '', by: entry.M?.['by']?.S ?? 'unknown' }))
      .filter((entry) => Date.parse(entry.at) > since);
    const ticketedUntil = Item?.['ticketedUntil']?.S;
    return { breaks, ticketed: ticketedUntil !== undefined && Date.parse(ticketedUntil) > now.getTime() };
  }

  /**
   * Records one more automatic fix (keeping the last ones), and, when `ticketed`, that this flapping spell
   * has its ticket until the window ends: one ticket per spell, not one per re-break.
   */
  async record(check: string, resourceArn: string, entry: Break, windowSeconds: number, ticketed: boolean): Promise<void> {
    const until = new Date(Date.parse(entry.at) + windowSeconds * 1000).toISOString();
    const { Attributes } = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: keyOf(check, resourceArn),
        UpdateExpression: `SET breaks = list_append(if_not_exists(breaks, :none), :entry), expiresAt = :expires${ticketed ? ', ticketedUntil = :until' : ''}`,
        ExpressionAttributeValues: {
          ':none': { L: [] },
          ':entry': { L: [{ M: { at: { S: entry.at }, by: { S: entry.by } } }] },
          ':expires': { N: String(Math.floor(Date.parse(until) / 1000) + 86_400) },
          ...(ticketed ? { ':until': { S: until } } : {}),
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const length = Attributes?.['breaks']?.L?.length ?? 0;
    // Bounded: the oldest go once there are more than any window needs.
    if (length > KEPT) {
      const drop = Array.from({ length: length - KEPT }, (_, index) => `breaks[${index}]`).join(', ');
      await this.client.send(
        new UpdateItemCommand({ TableName: this.tableName, Key: keyOf(check, resourceArn), UpdateExpression: `REMOVE ${drop}` }),
      );
    }
  }
}
