import { ConditionalCheckFailedException, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';

/**
 * Episodes of one finding, in the member's counter table. While an episode is open, further events
 * for the same finding are duplicates; once it has run its course (the longest a workflow can wait, plus
 * margin), the same violation appearing again opens a new episode, so a resource that is fixed and
 * broken again is fixed again. The execution name is `<finding id>-<episode>`: Step Functions refuses
 * a second execution of one name, so even a race cannot start two remediations of one episode.
 */
export class FindingEpisodes {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * The new episode number, or `busy` while the finding's current episode is still open. Safe to retry:
   * the update carries a token of this call, so when AWS committed it but the response was lost, the
   * SDK's retry finds its own token and gets its episode back instead of `busy`.
   */
  async open(findingId: string, now: Date, openForSeconds: number, token: string = randomUUID()): Promise<number | 'busy'> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: `finding#${findingId}` } },
          UpdateExpression: 'ADD episode :one SET openUntil = :until, expiresAt = :expires, openedBy = :token',
          ConditionExpression: 'attribute_not_exists(openUntil) OR openUntil < :now',
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':now': { N: String(nowSeconds) },
            ':until': { N: String(nowSeconds + openForSeconds) },
            ':expires': { N: String(nowSeconds + openForSeconds + 90 * 86400) },
            ':token': { S: token },
          },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return Number(Attributes?.['episode']?.N ?? '1');
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        if (error.Item?.['openedBy']?.S === token) return Number(error.Item['episode']?.N ?? '1');
        return 'busy';
      }
      throw error;
    }
  }
}

/** How long an episode stays open: the approval wait (or the ticket wait) plus two hours for the fix. */
export function episodeSeconds(approvalTimeoutSeconds: number): number {
  return Math.max(approvalTimeoutSeconds, 3600) + 2 * 3600;
}
