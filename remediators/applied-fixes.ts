import { type DocumentClient } from '../core/aws/document-client';

/** How long the undo of a fix is kept for a retried invocation to find (the counters table's TTL). */
const KEEP_SECONDS = 30 * 86400;

/**
 * The undo of each fix a remediator made, by workflow execution (one per finding and episode), in the
 * member's counters table. When an invocation
 * fixes a resource and then fails to answer (the runtime died, the response was lost), the workflow
 * retries; the retry finds the resource compliant, and without this record would return no undo, so
 * the REMEDIATED record could never be undone.
 */
export class AppliedFixes {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async recorded(execution: string): Promise<unknown> {
    const { Item } = await this.client.get({ TableName: this.tableName, Key: { pk: `fix#${execution}` }, ConsistentRead: true });
    return Item?.['undo'];
  }

  async record(execution: string, undo: unknown): Promise<void> {
    await this.client.put({
      TableName: this.tableName,
      Item: { pk: `fix#${execution}`, undo, expiresAt: Math.floor(this.now().getTime() / 1000) + KEEP_SECONDS },
    });
  }
}
