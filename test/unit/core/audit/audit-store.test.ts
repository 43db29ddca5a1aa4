import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AuditStore, type NewRecord } from '../../../../core/audit/audit-store';
import { findingKey, recordSortKey } from '../../../../core/audit/audit-table';
import { recordFromEvent } from '../../../../core/audit/audit-writer';
import { verifyChain } from '../../../../core/audit/verify-chain';
import { MalformedEventError } from '../../../../core/events/errors';
import { createAuditTable, startLocalDynamoDb } from '../../../../cli/local-dynamodb';
import { DocumentClient } from '../../../../core/aws/document-client';
import { CANARY, expectNoCanary } from '../../../support/fixtures';

let stop: () => Promise<void>;
let client: DynamoDBClient;
let document: DynamoDBDocumentClient;
let store: AuditStore;
let table = 0;

beforeAll(async () => {
  ({ client, stop } = await startLocalDynamoDb());
  // Warden's stores use its document client; the tests tamper with the table through lib-dynamodb's, as anyone could.
  document = DynamoDBDocumentClient.from(client);
});
afterAll(() => stop());
beforeEach(async () => {
  table += 1;
  await createAuditTable(client, `audit-${table}`);
  store = new AuditStore(new DocumentClient(client), `audit-${table}`);
});

function record(findingId: string, state: string, time: string, overrides: Partial<NewRecord> = {}): NewRecord {
  return {
    findingId,
    account: '111122223333',
    region: 'us-east-1',
    check: 'apigateway-stage-waf',
    resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
    state,
    actor: 'warden',
    time,
    details: {},
    ...overrides,
  };
}

describe('audit store (dynalite)', () => {
  it('appends records in sequence, each chained to the one before', async () => {
    const first = await store.append(record('f1', 'DETECTED', '2026-11-20T10:00:00.000Z'));
    const second = await store.append(record('f1', 'REMEDIATED', '2026-11-20T10:01:00.000Z'));
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first.prevHash).toBeNull();
    expect(second.prevHash).toBe(first.hash);
    const history = await store.findingHistory('f1');
    expect(history.map((entry) => entry.state)).toEqual(['DETECTED', 'REMEDIATED']);
    expect(verifyChain(history, await store.latest('f1'))).toEqual([]);
  });

  it('never overwrites: a put on an existing key is rejected by its condition', async () => {
    const first = await store.append(record('f1', 'DETECTED', '2026-11-20T10:00:00.000Z'));
    await expect(
      document.send(
        new PutCommand({
          TableName: `audit-${table}`,
          Item: { pk: findingKey('f1'), sk: recordSortKey(1), state: 'FORGED' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await store.findingHistory('f1'))[0]).toEqual(first);
  });

  it('keeps a consistent chain under concurrent appends to one finding', async () => {
    await Promise.all(['A', 'B', 'C', 'D'].map((state, index) => store.append(record('f1', state, `2026-11-20T10:00:0${index}.000Z`))));
    const history = await store.findingHistory('f1');
    expect(history.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    expect(verifyChain(history, await store.latest('f1'))).toEqual([]);
  });

  it('answers each access pattern with one query', async () => {
    const arnB = 'arn:aws:dynamodb:us-east-1:111122223333:table/orders';
    await store.append(record('f1', 'DETECTED', '2026-11-20T10:00:00.000Z'));
    await store.append(record('f1', 'APPROVAL_REQUESTED', '2026-11-20T10:00:01.000Z'));
    await store.append(record('f2', 'DETECTED', '2026-11-21T09:00:00.000Z', { resourceArn: arnB, check: 'dynamodb-table-encryption' }));
    await store.append(record('f2', 'FAILED', '2026-11-21T09:05:00.000Z', { resourceArn: arnB, check: 'dynamodb-table-encryption' }));
    await store.append(record('f3', 'DETECTED', '2026-11-22T08:00:00.000Z', { account: '444455556666' }));
    await store.append(record('f3', 'APPROVAL_REQUESTED', '2026-11-22T08:00:01.000Z', { account: '444455556666' }));
    await store.append(record('f3', 'REJECTED', '2026-11-22T08:10:00.000Z', { account: '444455556666', actor: 'slack:U0123ABCD9' }));

    const sent = jest.spyOn(client, 'send');
    const resource = await store.resourceHistory('arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod');
    expect(resource.map((entry) => `${entry.findingId}:${entry.state}`)).toEqual([
      'f1:DETECTED',
      'f1:APPROVAL_REQUESTED',
      'f3:DETECTED',
      'f3:APPROVAL_REQUESTED',
      'f3:REJECTED',
    ]);
    const inRange = await store.accountRecords('111122223333', { from: '2026-11-21T00:00:00.000Z', to: '2026-11-21T09:05:00.000Z' });
    expect(inRange.map((entry) => entry.state)).toEqual(['DETECTED', 'FAILED']);
    expect((await store.byCheckAndState('dynamodb-table-encryption', 'FAILED')).map((entry) => entry.findingId)).toEqual(['f2']);
    expect(await store.pendingApprovals()).toEqual([
      {
        findingId: 'f1',
        account: '111122223333',
        check: 'apigateway-stage-waf',
        resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
        pendingSince: '2026-11-20T10:00:01.000Z',
      },
    ]);
    expect(sent).toHaveBeenCalledTimes(4);
    sent.mockRestore();
  });

  it('redacts every record it appends, whoever writes it (a ticket failure quoting a provider, an undo)', async () => {
    const sealed = await store.append(
      record('f9', 'TICKET_FAILED', '2026-11-20T10:00:00.000Z', {
        details: { error: `provider said: ${CANARY.stripe}`, token: 'opaque-session-token' },
      }),
    );
    expect(sealed.details).toEqual({ error: '[REDACTED]', token: '[REDACTED]' });
    expectNoCanary(await store.findingHistory('f9'));
    expect(verifyChain(await store.findingHistory('f9'), await store.latest('f9'))).toEqual([]);
  });

  it('detects an edited record', async () => {
    await store.append(record('f1', 'DETECTED', '2026-11-20T10:00:00.000Z'));
    await store.append(record('f1', 'REJECTED', '2026-11-20T10:01:00.000Z', { actor: 'slack:U0123ABCD9' }));
    await document.send(
      new UpdateCommand({
        TableName: `audit-${table}`,
        Key: { pk: findingKey('f1'), sk: recordSortKey(2) },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':s': 'REMEDIATED' },
      }),
    );
    expect(verifyChain(await store.findingHistory('f1'), await store.latest('f1'))).toEqual([expect.objectContaining({ seq: 2, problem: 'edited' })]);
  });

  it('detects a deleted record, in the middle or at the end', async () => {
    for (const [index, state] of ['DETECTED', 'APPROVAL_REQUESTED', 'REMEDIATED'].entries())
      await store.append(record('f1', state, `2026-11-20T10:00:0${index}.000Z`));
    await document.send(new DeleteCommand({ TableName: `audit-${table}`, Key: { pk: findingKey('f1'), sk: recordSortKey(2) } }));
    expect(verifyChain(await store.findingHistory('f1'), await store.latest('f1'))).toEqual([
      expect.objectContaining({ seq: 2, problem: 'missing' }),
    ]);
    await document.send(new DeleteCommand({ TableName: `audit-${table}`, Key: { pk: findingKey('f1'), sk: recordSortKey(3) } }));
    expect(verifyChain(await store.findingHistory('f1'), await store.latest('f1'))).toEqual([expect.objectContaining({ problem: 'truncated' })]);
  });
});

describe('recordFromEvent', () => {
  const envelope = (detailType: string, detail: Record<string, unknown>) => ({
    version: '0',
    id: 'e1',
    'detail-type': detailType,
    source: 'warden',
    account: '444455556666',
    region: 'eu-west-1',
    time: '2026-11-20T10:00:06Z',
    resources: [],
    detail,
  });

  it('takes the account from the envelope, never from the payload', () => {
    const result = recordFromEvent(
      envelope('Warden Audit Record', {
        state: 'DETECTED',
        findingId: 'f1',
        check: 'apigateway-stage-waf',
        resourceArn: 'arn:x',
        account: '999999999999',
        time: '2026-11-20T10:00:05Z',
        decidedBy: 'defaults',
      }),
      new Date(),
    );
    expect(result).toMatchObject({
      account: '444455556666',
      region: 'eu-west-1',
      state: 'DETECTED',
      actor: 'warden',
      details: { decidedBy: 'defaults' },
    });
    expect(JSON.stringify(result)).not.toContain('999999999999');
  });

  it('records an approval request without its task token, with its expiry', () => {
    const result = recordFromEvent(
      envelope('Warden Approval Requested', {
        taskToken: 'TASK-TOKEN-CANARY',
        executionArn: 'arn:exec',
        expiresInSeconds: 3600,
        finding: { findingId: 'f1', check: 'apigateway-stage-waf', resourceArn: 'arn:x' },
      }),
      new Date(),
    );
    expect(result).toMatchObject({ state: 'APPROVAL_REQUESTED', details: { expiresAt: '2026-11-20T11:00:06.000Z' } });
    expect(JSON.stringify(result)).not.toContain('TASK-TOKEN-CANARY');
  });

  it('redacts anything that looks like a credential on the way in (canary)', () => {
    const result = recordFromEvent(
      envelope('Warden Audit Record', {
        state: 'FAILED',
        findingId: 'f1',
        check: 'c',
        resourceArn: 'arn:x',
        error: { Cause: `bad ${CANARY.stripe}` },
      }),
      new Date(),
    );
    expectNoCanary(result);
  });

  it('rejects an event that is not an audit record', () => {
    expect(() => recordFromEvent(envelope('Something Else', {}), new Date())).toThrow(MalformedEventError);
    expect(() => recordFromEvent(envelope('Warden Audit Record', { state: 'DETECTED' }), new Date())).toThrow('audit event lacks findingId');
  });
});
