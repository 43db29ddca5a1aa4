/**
 * The audit table's key design: one query per access pattern.
 *
 * | pattern                               | index        | key                         | sort                       |
 * | a finding's history, in order         | table        | pk = FINDING#<id>           | sk = R#<seq, 8 digits>     |
 * | a resource's history, in order        | byResource   | resourceArn                 | sortTime = <time>#<id>#<seq> |
 * | an account in a time range            | byAccount    | account                     | sortTime                   |
 * | by check and state (in a time range)  | byCheckState | checkState = <check>#<state> | sortTime                  |
 * | everything pending approval           | byPending    | pending = PENDING (sparse)  | pendingSince               |
 *
 * Records (sk R#…) are only ever put with a condition that their key is new. One projection item per
 * finding (sk LATEST) tracks the last sequence number and hash, and carries `pending` while an approval
 * is outstanding; it is the only item Warden updates, and it is not part of the audit chain.
 */
export const AUDIT_INDEXES = {
  byResource: { partitionKey: 'resourceArn', sortKey: 'sortTime' },
  byAccount: { partitionKey: 'account', sortKey: 'sortTime' },
  byCheckState: { partitionKey: 'checkState', sortKey: 'sortTime' },
  byPending: { partitionKey: 'pending', sortKey: 'pendingSince' },
} as const;

export const findingKey = (findingId: string) => `FINDING#${findingId}`;
export const recordSortKey = (seq: number) => `R#${String(seq).padStart(8, '0')}`;
export const LATEST = 'LATEST';
export const PENDING = 'PENDING';

/** The table's CreateTable shape, shared by the stacks and the local (dynalite) audit trail. */
export const AUDIT_TABLE_KEYS = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: ['pk', 'sk', 'resourceArn', 'account', 'checkState', 'sortTime', 'pending', 'pendingSince'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
  GlobalSecondaryIndexes: Object.entries(AUDIT_INDEXES).map(([IndexName, { partitionKey, sortKey }]) => ({
    IndexName,
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  })),
} as const;
