import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createAuditTable, startLocalDynamoDb } from '../../../../cli/local-dynamodb';
import { DocumentClient } from '../../../../core/aws/document-client';
import { AuditDigests, digestedFindings, verifyDigests } from '../../../../core/audit/audit-digest';
import type { AuditRecord } from '../../../../core/audit/audit-record';
import { AuditStore, type NewRecord } from '../../../../core/audit/audit-store';
import { DIGEST_KEY, findingKey, LATEST, recordSortKey } from '../../../../core/audit/audit-table';
import { verifyChain } from '../../../../core/audit/verify-chain';

/*
 * The audit trail's two layers of evidence, on dynalite: each finding's hash chain (verify-chain.ts), and
 * the hourly digests over the heads (audit-digest.ts), which make a finding deleted whole show.
 */

let stop: () => Promise<void>;
let client: DynamoDBClient;
let document: DynamoDBDocumentClient;
let tableName: string;
let count = 0;
let clock: Date;
let store: AuditStore;
let digests: AuditDigests;

beforeAll(async () => {
  ({ client, stop } = await startLocalDynamoDb());
  // Warden's stores use its document client; the tests tamper with the table through lib-dynamodb's, as anyone could.
  document = DynamoDBDocumentClient.from(client);
});
afterAll(() => stop());
beforeEach(async () => {
  count += 1;
  tableName = `audit-digest-${count}`;
  await createAuditTable(client, tableName);
  clock = new Date('2026-12-02T10:15:00Z');
  store = new AuditStore(new DocumentClient(client), tableName, () => clock);
  digests = new AuditDigests(new DocumentClient(client), tableName);
});

const record = (findingId: string, state: string): NewRecord => ({
  findingId,
  account: '111122223333',
  region: 'us-east-1',
  check: 'dynamodb-table-encryption',
  resourceArn: `arn:aws:dynamodb:us-east-1:111122223333:table/${findingId}`,
  state,
  actor: 'warden',
  time: clock.toISOString(),
  details: {},
});

/** Everything `warden audit verify` would report for the table as it is now. */
async function verifyAll(at: Date) {
  const all = await digests.all();
  const ids = [...new Set([...(await store.findingIds()), ...digestedFindings(all)])];
  const histories = new Map<string, AuditRecord[]>();
  const problems: string[] = [];
  for (const id of ids) {
    const history = await store.findingHistory(id);
    histories.set(id, history);
    problems.push(
      ...verifyChain(history, await store.latest(id)).map((problem) => `${problem.problem} ${problem.findingId}#${problem.seq}: ${problem.detail}`),
    );
  }
  problems.push(
    ...verifyDigests(all, (id) => histories.get(id) ?? [], at).map((problem) => `${problem.problem} ${problem.subject}: ${problem.detail}`),
  );
  return problems;
}

/** Two findings recorded in the 10:00 hour, one more in the 11:00 hour, digests written at 12:05. */
async function twoHoursOfRecords(): Promise<void> {
  await store.append(record('f1', 'DETECTED'));
  await store.append(record('f1', 'REMEDIATED'));
  await store.append(record('f2', 'DETECTED'));
  clock = new Date('2026-12-02T11:20:00Z');
  await store.append(record('f3', 'DETECTED'));
  await store.append(record('f3', 'REPORTED'));
  clock = new Date('2026-12-02T12:05:00Z');
  await digests.writeUpTo(clock);
}

describe('hourly digests', () => {
  it('the first run digests the hour before it; later runs every whole hour since, each chained to the last', async () => {
    await store.append(record('f1', 'DETECTED'));
    expect(await digests.writeUpTo(new Date('2026-12-02T11:05:00Z'))).toEqual(['2026-12-02T10']);
    expect(await digests.writeUpTo(new Date('2026-12-02T11:40:00Z'))).toEqual([]);
    expect(await digests.writeUpTo(new Date('2026-12-02T14:05:00Z'))).toEqual(['2026-12-02T11', '2026-12-02T12', '2026-12-02T13']);
    const all = await digests.all();
    expect(all.map((digest) => [digest.period, digest.heads.length])).toEqual([
      ['2026-12-02T10', 1],
      ['2026-12-02T11', 0],
      ['2026-12-02T12', 0],
      ['2026-12-02T13', 0],
    ]);
    expect(all.slice(1).map((digest, index) => digest.prevHash === all[index]?.hash)).toEqual([true, true, true]);
    expect(await verifyAll(new Date('2026-12-02T14:10:00Z'))).toEqual([]);
  });

  it('lists each finding under the hour its head last moved, with that head', async () => {
    await twoHoursOfRecords();
    const all = await digests.all();
    const f1 = (await store.findingHistory('f1')).at(-1)!;
    expect(all.map((digest) => digest.period)).toEqual(['2026-12-02T11']);
    expect(all[0]?.heads).toEqual([expect.stringMatching(/^f3:2:[0-9a-f]{64}$/)]);
    // f1 and f2 moved in the 10:00 hour, before the first digest: the first run starts from the hour before it.
    expect(all[0]?.heads).not.toContain(`f1:2:${f1.hash}`);
  });

  it('is one small write per hour, whatever the volume: 2,500 findings in an hour fill two pages', async () => {
    const heads = Array.from({ length: 2500 }, (_, index) => `${String(index).padStart(40, '0')}:1:${'a'.repeat(64)}`);
    const paged = new AuditDigests(new DocumentClient(client), tableName);
    jest.spyOn(paged, 'headsMovedIn').mockImplementation((period) => Promise.resolve(period === '2026-12-02T10' ? heads : []));
    await paged.writeUpTo(new Date('2026-12-02T11:05:00Z'));
    const all = await paged.all();
    expect(all.map((digest) => [digest.page, digest.heads.length])).toEqual([
      [1, 2000],
      [2, 500],
    ]);
    expect(Buffer.byteLength(JSON.stringify(all[0]))).toBeLessThan(400 * 1024);
  });
});

describe('tampering is detected, and named', () => {
  beforeEach(twoHoursOfRecords);
  const at = new Date('2026-12-02T12:10:00Z');
  const deleteItem = (pk: string, sk: string) => document.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk } }));

  it('an intact trail has no problem', async () => {
    expect(await verifyAll(at)).toEqual([]);
  });

  it('an edited record', async () => {
    await document.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: findingKey('f3'), sk: recordSortKey(1) },
        UpdateExpression: 'SET actor = :a',
        ExpressionAttributeValues: { ':a': 'mallory' },
      }),
    );
    expect(await verifyAll(at)).toEqual(['edited f3#1: record 1 does not match its hash']);
  });

  it('one record deleted', async () => {
    await deleteItem(findingKey('f1'), recordSortKey(1));
    expect(await verifyAll(at)).toEqual(['missing f1#1: records 1..1 are missing']);
  });

  it('a truncated finding (its last record and the projection rolled back)', async () => {
    await deleteItem(findingKey('f3'), recordSortKey(2));
    // A careful attacker also points the projection at record 1: the chain alone then looks whole.
    const first = (await store.findingHistory('f3'))[0]!;
    await document.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: findingKey('f3'), sk: LATEST },
        UpdateExpression: 'SET lastSeq = :one, lastHash = :hash',
        ExpressionAttributeValues: { ':one': 1, ':hash': first.hash },
      }),
    );
    expect(verifyChain(await store.findingHistory('f3'), await store.latest('f3'))).toEqual([]);
    expect(await verifyAll(at)).toEqual(['missing f3: record 2 of finding f3, listed in the digest of 2026-12-02T11, is gone']);
  });

  it('a whole finding deleted, records and projection', async () => {
    for (const sk of [recordSortKey(1), recordSortKey(2), LATEST]) await deleteItem(findingKey('f3'), sk);
    expect(await verifyAll(at)).toEqual([
      'deleted-finding f3: finding f3 is in the digest of 2026-12-02T11 (record 2) but the table holds none of its records',
    ]);
  });

  it('a digest edited, or deleted from the middle or the end of the chain', async () => {
    clock = new Date('2026-12-02T14:05:00Z');
    await digests.writeUpTo(clock);
    const keys = (
      (
        await document.send(
          new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': DIGEST_KEY } }),
        )
      ).Items ?? []
    ).map((item) => String(item['sk']));
    expect(keys).toEqual(['D#2026-12-02T11#001', 'D#2026-12-02T12#001', 'D#2026-12-02T13#001']);
    await document.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: DIGEST_KEY, sk: keys[0] },
        UpdateExpression: 'SET heads = :none',
        ExpressionAttributeValues: { ':none': [] },
      }),
    );
    await deleteItem(DIGEST_KEY, keys[1]!);
    expect(await verifyAll(new Date('2026-12-02T14:10:00Z'))).toEqual([
      'digest-edited 2026-12-02T11: the digest of 2026-12-02T11 (page 1) does not match its hash',
      'digest-broken-link 2026-12-02T13: the digest of 2026-12-02T13 does not follow the digest of 2026-12-02T11',
      'digest-missing 2026-12-02T13: the digests from 2026-12-02T12 to before 2026-12-02T13 are missing',
    ]);
    await deleteItem(DIGEST_KEY, keys[2]!);
    expect(await verifyAll(new Date('2026-12-02T18:10:00Z'))).toContain(
      'digest-missing 2026-12-02T11: no digest after 2026-12-02T11: the newest digests were deleted, or the digest job stopped',
    );
  });
});
