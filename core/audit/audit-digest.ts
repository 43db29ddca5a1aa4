import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DocumentClient, type QueryInput } from '../aws/document-client';
import { canonicalJson } from '../finding';
import type { AuditRecord } from './audit-record';
import { AUDIT_INDEXES, DIGEST_KEY, digestSortKey, periodOf } from './audit-table';

/** One finding's head as a digest saw it: `<findingId>:<seq>:<hash>`. */
export type Head = string;

/**
 * An hourly digest: the heads of every finding whose chain moved in that hour, chained to the digest
 * before by its hash. An hour with many findings is split in pages of `PAGE_SIZE` heads (an item stays far
 * under DynamoDB's 400 KB); an hour with none still gets an empty digest, so a missing hour shows.
 */
export interface Digest {
  readonly period: string;
  readonly page: number;
  readonly heads: readonly Head[];
  readonly prevHash: string | null;
  readonly hash: string;
}

export interface DigestProblem {
  readonly problem: 'digest-edited' | 'digest-broken-link' | 'digest-missing' | 'deleted-finding' | 'missing' | 'edited';
  /** The digest's period, or the finding's id. */
  readonly subject: string;
  readonly detail: string;
}

export const PAGE_SIZE = 2000;
/** A run catches up at most this many hours (two days): a longer outage is caught up by the next runs. */
const MAX_PERIODS_PER_RUN = 48;
const HOUR_MS = 3600_000;

const nextPeriod = (period: string): string => periodOf(new Date(Date.parse(`${period}:00:00.000Z`) + HOUR_MS));

export function hashDigest(digest: Omit<Digest, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalJson({ period: digest.period, page: digest.page, heads: digest.heads, prevHash: digest.prevHash }))
    .digest('hex');
}

/** The digest chain in the audit table: one small write per hour, whatever the volume of records. */
export class AuditDigests {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
  ) {}

  private async queryAll(input: QueryInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of this.client.queryPages(input)) items.push(...page.Items);
    return items;
  }

  /** Every digest, oldest first. */
  async all(): Promise<Digest[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': DIGEST_KEY },
      ConsistentRead: true,
    });
    return items.map(({ period, page, heads, prevHash, hash }) => ({ period, page, heads, prevHash, hash }) as Digest);
  }

  private async newest(): Promise<Digest | undefined> {
    const { Items } = await this.client.query({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': DIGEST_KEY },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
    return Items[0] as Digest | undefined;
  }

  /** The heads of the findings whose chain last moved in `period`. */
  async headsMovedIn(period: string): Promise<Head[]> {
    const { partitionKey } = AUDIT_INDEXES.byHeadPeriod;
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'byHeadPeriod',
      KeyConditionExpression: '#period = :period',
      ExpressionAttributeNames: { '#period': partitionKey },
      ExpressionAttributeValues: { ':period': period },
    });
    return items.map((item) => `${String(item['pk']).replace('FINDING#', '')}:${Number(item['lastSeq'])}:${String(item['lastHash'])}`).sort();
  }

  /**
   * Writes the digest of every whole hour since the newest one, up to the hour before `now` (an hour is
   * digested once it is over). The first run digests only the hour before it. Safe to run twice at once:
   * each digest is a conditional put, and a run that loses the race continues from the winner's digest.
   */
  async writeUpTo(now: Date): Promise<string[]> {
    const last = periodOf(new Date(now.getTime() - HOUR_MS));
    let previous = await this.newest();
    let period = previous ? nextPeriod(previous.period) : last;
    const written: string[] = [];
    while (period <= last && written.length < MAX_PERIODS_PER_RUN) {
      const heads = await this.headsMovedIn(period);
      const pages =
        heads.length === 0
          ? [[]]
          : Array.from({ length: Math.ceil(heads.length / PAGE_SIZE) }, (_, index) => heads.slice(index * PAGE_SIZE, (index + 1) * PAGE_SIZE));
      for (const [index, pageHeads] of pages.entries()) {
        const unsealed = { period, page: index + 1, heads: pageHeads, prevHash: previous?.hash ?? null };
        const digest: Digest = { ...unsealed, hash: hashDigest(unsealed) };
        try {
          await this.client.put({
            TableName: this.tableName,
            Item: { pk: DIGEST_KEY, sk: `${digestSortKey(period)}#${String(digest.page).padStart(3, '0')}`, ...digest },
            ConditionExpression: 'attribute_not_exists(pk)',
          });
          previous = digest;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          previous = await this.newest();
        }
      }
      written.push(period);
      period = nextPeriod(period);
    }
    return written;
  }
}

/**
 * Checks the digest chain (each digest's hash, its link to the one before, no hour missing, and the newest
 * digest no older than `staleAfterHours`), then every head a digest lists against the finding's records:
 * a finding with no records left was deleted whole; a listed record that is gone or differs is reported.
 */
export function verifyDigests(
  digests: readonly Digest[],
  historyOf: (findingId: string) => readonly AuditRecord[],
  now: Date,
  staleAfterHours = 3,
): DigestProblem[] {
  const problems: DigestProblem[] = [];
  let previous: Digest | undefined;
  if (digests[0] && digests[0].prevHash !== null)
    problems.push({
      problem: 'digest-missing',
      subject: digests[0].period,
      detail: `the digests before ${digests[0].period} are missing (it names a predecessor)`,
    });
  for (const digest of digests) {
    const { hash, ...unsealed } = digest;
    if (hashDigest(unsealed) !== hash)
      problems.push({
        problem: 'digest-edited',
        subject: digest.period,
        detail: `the digest of ${digest.period} (page ${digest.page}) does not match its hash`,
      });
    if (previous && digest.prevHash !== previous.hash)
      problems.push({
        problem: 'digest-broken-link',
        subject: digest.period,
        detail: `the digest of ${digest.period} does not follow the digest of ${previous.period}`,
      });
    if (previous && digest.period !== previous.period && digest.period !== nextPeriod(previous.period)) {
      problems.push({
        problem: 'digest-missing',
        subject: digest.period,
        detail: `the digests from ${nextPeriod(previous.period)} to before ${digest.period} are missing`,
      });
    }
    previous = digest;
  }
  const newest = digests.at(-1);
  if (newest && Date.parse(`${newest.period}:00:00.000Z`) + (staleAfterHours + 1) * HOUR_MS < now.getTime()) {
    problems.push({
      problem: 'digest-missing',
      subject: newest.period,
      detail: `no digest after ${newest.period}: the newest digests were deleted, or the digest job stopped`,
    });
  }
  for (const digest of digests) {
    for (const head of digest.heads) {
      const [findingId = '', seqText = '', listedHash = ''] = head.split(':');
      const records = historyOf(findingId);
      const record = records.find((entry) => entry.seq === Number(seqText));
      if (records.length === 0)
        problems.push({
          problem: 'deleted-finding',
          subject: findingId,
          detail: `finding ${findingId} is in the digest of ${digest.period} (record ${seqText}) but the table holds none of its records`,
        });
      else if (!record)
        problems.push({
          problem: 'missing',
          subject: findingId,
          detail: `record ${seqText} of finding ${findingId}, listed in the digest of ${digest.period}, is gone`,
        });
      else if (record.hash !== listedHash)
        problems.push({
          problem: 'edited',
          subject: findingId,
          detail: `record ${seqText} of finding ${findingId} differs from the one the digest of ${digest.period} lists`,
        });
    }
  }
  return problems;
}

/** Every finding id the digests list. */
export function digestedFindings(digests: readonly Digest[]): string[] {
  return [...new Set(digests.flatMap((digest) => digest.heads.map((head) => head.split(':')[0] ?? '')))].filter((id) => id.length > 0);
}
