import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DocumentClient, type QueryInput } from '../aws/document-client';
import { WardenError } from '../errors';
import { redact } from '../redact';
import { type AuditRecord, seal, type UnsealedRecord } from './audit-record';
import { AUDIT_INDEXES, findingKey, LATEST, PENDING, periodOf, recordSortKey } from './audit-table';

export class AuditError extends WardenError {
  override name: string = 'AuditError';
}

/** Another writer appended to the same finding at the same time, more often than retries could absorb. */
export class AuditContentionError extends AuditError {
  override name = 'AuditContentionError';
}

export type NewRecord = Omit<UnsealedRecord, 'seq' | 'prevHash'>;

interface StoredRecord extends AuditRecord {
  readonly pk: string;
  readonly sk: string;
  readonly sortTime: string;
  readonly checkState: string;
}

function fromItem(item: Record<string, unknown>): AuditRecord {
  const { pk: _pk, sk: _sk, sortTime: _sortTime, checkState: _checkState, ...record } = item as unknown as StoredRecord;
  return record;
}

export interface TimeRange {
  readonly from?: string;
  readonly to?: string;
}

/** The append-only audit trail in DynamoDB. */
export class AuditStore {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
    /** When a write happens (not the record's own `time`, which an event may set in the past): the digest hour. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Appends a record after the finding's last one, chaining hashes. The put is conditional on the key
   * being new, so nothing is ever overwritten; a concurrent append makes it retry with the next number.
   * Every writer comes through here (the audit writer, the ticket opener, the Slack endpoint, the sweep,
   * `warden undo`), so every record is redacted the same way, once, before it is sealed.
   */
  async append(unredacted: NewRecord, attempts = 5): Promise<AuditRecord> {
    const record = redact(unredacted);
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const last = await this.lastRecord(record.findingId);
      const sealed = seal({ ...record, seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? null });
      try {
        await this.client.put({
          TableName: this.tableName,
          Item: {
            ...sealed,
            pk: findingKey(sealed.findingId),
            sk: recordSortKey(sealed.seq),
            sortTime: `${sealed.time}#${sealed.findingId}#${String(sealed.seq).padStart(8, '0')}`,
            checkState: `${sealed.check}#${sealed.state}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        });
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) continue;
        throw error;
      }
      await this.updateLatest(sealed);
      return sealed;
    }
    throw new AuditContentionError(`could not append to finding ${record.findingId} after ${attempts} attempts`);
  }

  private async updateLatest(record: AuditRecord): Promise<void> {
    const pending = record.state === 'APPROVAL_REQUESTED';
    await this.client
      .update({
        TableName: this.tableName,
        Key: { pk: findingKey(record.findingId), sk: LATEST },
        UpdateExpression: pending
          ? 'SET lastSeq = :seq, lastHash = :hash, #state = :state, account = :account, #check = :check, resourceArn = :arn, headPeriod = :period, pending = :pending, pendingSince = :time'
          : 'SET lastSeq = :seq, lastHash = :hash, #state = :state, account = :account, #check = :check, resourceArn = :arn, headPeriod = :period REMOVE pending, pendingSince',
        ConditionExpression: 'attribute_not_exists(lastSeq) OR lastSeq < :seq',
        ExpressionAttributeNames: { '#state': 'state', '#check': 'check' },
        ExpressionAttributeValues: {
          ':seq': record.seq,
          ':hash': record.hash,
          ':state': record.state,
          ':account': record.account,
          ':check': record.check,
          ':arn': record.resourceArn,
          ':period': periodOf(this.now()),
          ...(pending ? { ':pending': PENDING, ':time': record.time } : {}),
        },
      })
      .catch((error: unknown) => {
        // A later record already moved the projection on: nothing to do.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async lastRecord(findingId: string): Promise<AuditRecord | undefined> {
    const { Items } = await this.client.query({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :records)',
      ExpressionAttributeValues: { ':pk': findingKey(findingId), ':records': 'R#' },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
    return Items[0] ? fromItem(Items[0]) : undefined;
  }

  /** The projection item: last sequence number and hash of a finding. */
  async latest(findingId: string): Promise<{ lastSeq: number; lastHash: string; state: string } | undefined> {
    const { Item } = await this.client.get({ TableName: this.tableName, Key: { pk: findingKey(findingId), sk: LATEST }, ConsistentRead: true });
    return Item ? (Item as { lastSeq: number; lastHash: string; state: string }) : undefined;
  }

  private async queryAll(input: QueryInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of this.client.queryPages(input)) items.push(...page.Items);
    return items;
  }

  /** A finding's records, in order. */
  async findingHistory(findingId: string): Promise<AuditRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :records)',
      ExpressionAttributeValues: { ':pk': findingKey(findingId), ':records': 'R#' },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }

  private rangeQuery(index: keyof typeof AUDIT_INDEXES, partition: string, range: TimeRange): QueryInput {
    const { partitionKey, sortKey } = AUDIT_INDEXES[index];
    const bounds =
      range.from && range.to ? ' AND #sort BETWEEN :from AND :to' : range.from ? ' AND #sort >= :from' : range.to ? ' AND #sort <= :to' : '';
    return {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: `#partition = :partition${bounds}`,
      ExpressionAttributeNames: { '#partition': partitionKey, ...(bounds ? { '#sort': sortKey } : {}) },
      ExpressionAttributeValues: {
        ':partition': partition,
        ...(range.from ? { ':from': range.from } : {}),
        // `~` sorts after the `#id#seq` suffix, so records at exactly `to` are included.
        ...(range.to ? { ':to': `${range.to}~` } : {}),
      },
    };
  }

  /** A resource's records across all its findings, in time order. */
  async resourceHistory(resourceArn: string, range: TimeRange = {}): Promise<AuditRecord[]> {
    return (await this.queryAll(this.rangeQuery('byResource', resourceArn, range))).map(fromItem);
  }

  /** An account's records in a time range. */
  async accountRecords(account: string, range: TimeRange = {}): Promise<AuditRecord[]> {
    return (await this.queryAll(this.rangeQuery('byAccount', account, range))).map(fromItem);
  }

  /** Records of one check in one state, e.g. every FAILED of one check. */
  async byCheckAndState(check: string, state: string, range: TimeRange = {}): Promise<AuditRecord[]> {
    return (await this.queryAll(this.rangeQuery('byCheckState', `${check}#${state}`, range))).map(fromItem);
  }

  /** Every finding id in the trail (one projection item each), for `warden audit verify`. */
  async findingIds(): Promise<string[]> {
    const ids: string[] = [];
    const scan = {
      TableName: this.tableName,
      FilterExpression: 'sk = :latest',
      ExpressionAttributeValues: { ':latest': LATEST },
      ProjectionExpression: 'pk',
    };
    for await (const page of this.client.scanPages(scan)) ids.push(...page.Items.map((item) => String(item['pk']).replace('FINDING#', '')));
    return ids.sort();
  }

  /** Findings waiting for an approval decision now. */
  async pendingApprovals(): Promise<{ findingId: string; account: string; check: string; resourceArn: string; pendingSince: string }[]> {
    const items = await this.queryAll(this.rangeQuery('byPending', PENDING, {}));
    return items.map((item) => ({
      findingId: String(item['pk']).replace('FINDING#', ''),
      account: String(item['account']),
      check: String(item['check']),
      resourceArn: String(item['resourceArn']),
      pendingSince: String(item['pendingSince']),
    }));
  }
}
