/**
 * The audit table's key design: one query per access pattern.
 *
 * | pattern                               | index        | key                         | sort                       |
 * | a finding's history, in order         | table        | pk = FINDING#<id>           | sk = R#<seq, 8 digits>     |
 * | a resource's history, in order        | byResource   | resourceArn                 | sortTime = <time>#<id>#<seq> |
 * | an account in a time range            | byAccount    | account                     | sortTime                   |
 * | by check and state (in a time range)  | byCheckState | checkState = <check>#<state> | sortTime                  |
 * | everything pending approval           | byPending    | pending = PENDING (sparse)  | pendingSince               |
 * | findings whose head moved in an hour  | byHeadPeriod | headPeriod = <YYYY-MM-DDTHH> (projection items) | pk |
 * | the hourly digests, in order          | table        | pk = DIGEST                 | sk = D#<YYYY-MM-DDTHH>     |
 *
 * Records (sk R#…) are only ever put with a condition that their key is new. One projection item per
 * finding (sk LATEST) tracks the last sequence number and hash, and carries `pending` while an approval
 * is outstanding, and the hour its head last moved (`headPeriod`); it is the only item Warden updates,
 * and it is not part of the audit chain. Digest items (pk DIGEST) chain the heads hour by hour, so a
 * finding deleted whole, projection and all, still shows (audit-digest.ts).
 */
export const AUDIT_INDEXES = {
  byResource: { partitionKey: 'resourceArn', sortKey: 'sortTime' },
  byAccount: { partitionKey: 'account', sortKey: 'sortTime' },
  byCheckState: { partitionKey: 'checkState', sortKey: 'sortTime' },
  byPending: { partitionKey: 'pending', sortKey: 'pendingSince' },
  byHeadPeriod: { partitionKey: 'headPeriod', sortKey: 'pk' },
} as const;

export const findingKey = (findingId: string) => `FINDING#${findingId}`;
export const recordSortKey = (seq: number) => `R#${String(seq).padStart(8, '0')}`;
export const LATEST = 'LATEST';
export const PENDING = 'PENDING';
export const DIGEST_KEY = 'DIGEST';
export const digestSortKey = (period: string) => `D#${period}`;
/** The UTC hour a time falls in, as digests name their periods: `2026-12-02T14`. */
export const periodOf = (time: Date): string => time.toISOString().slice(0, 13);

/** The table's CreateTable shape, shared by the stacks and the local (dynalite) audit trail. */
export const AUDIT_TABLE_KEYS = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: ['pk', 'sk', 'resourceArn', 'account', 'checkState', 'sortTime', 'pending', 'pendingSince', 'headPeriod'].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  })),
  GlobalSecondaryIndexes: Object.entries(AUDIT_INDEXES).map(([IndexName, { partitionKey, sortKey }]) => ({
    IndexName,
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  })),
} as const;
