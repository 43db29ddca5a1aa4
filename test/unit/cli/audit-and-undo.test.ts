import { createCountersTable } from '../../support/counters-table';
import { APIGatewayClient, GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { join } from 'node:path';
import { createAuditTable, type LocalDynamoDb, startLocalDynamoDb } from '../../../cli/local-dynamodb';
import { main } from '../../../cli/main';
import { AuditStore } from '../../../core/audit/audit-store';
import { AuditDigests } from '../../../core/audit/audit-digest';
import { AcceptedRisks } from '../../../detectors/accepted-risks';
import { findingKey, LATEST, recordSortKey } from '../../../core/audit/audit-table';

const ROOT = join(__dirname, '../../..');
const apigateway = mockClient(APIGatewayClient);
const sts = mockClient(STSClient);
const cloudformation = mockClient(CloudFormationClient);
const STAGE = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod';
let local: LocalDynamoDb;
let store: AuditStore;
let env: Record<string, string>;
let table = 0;

async function run(args: string[], answer?: string) {
  let stdout = '';
  let stderr = '';
  const asked: string[] = [];
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    cwd: ROOT,
    ...(answer !== undefined ? { ask: (question: string) => (asked.push(question), Promise.resolve(answer)) } : {}),
  });
  return { code, stdout, stderr, asked };
}

beforeAll(async () => {
  local = await startLocalDynamoDb();
  // The CLI builds its own DynamoDB client: the standard SDK configuration points it at dynalite.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
  });
});
afterAll(async () => {
  delete process.env['AWS_ENDPOINT_URL_DYNAMODB'];
  await local.stop();
});
beforeEach(async () => {
  table += 1;
  env = { WARDEN_AUDIT_TABLE: `audit-cli-${table}`, WARDEN_COUNTER_TABLE: `counters-cli-${table}` };
  await createAuditTable(local.client, env['WARDEN_AUDIT_TABLE'] as string);
  await createCountersTable(local.client, env['WARDEN_COUNTER_TABLE'] as string);
  store = new AuditStore(local.document, env['WARDEN_AUDIT_TABLE'] as string);
  apigateway.reset();
  sts.reset();
  cloudformation.reset();
  // The stage as Warden left it.
  apigateway.on(GetStageCommand).resolves({ methodSettings: { '*/*': { throttlingRateLimit: 100, throttlingBurstLimit: 200 } } });
  sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/SecOps/alice' });
  const base = {
    findingId: 'f1',
    account: '111122223333',
    region: 'us-east-1',
    check: 'apigateway-stage-throttling',
    resourceArn: STAGE,
    actor: 'warden',
  };
  await store.append({ ...base, state: 'DETECTED', time: '2026-11-20T10:00:00.000Z', details: { mode: 'auto' } });
  await store.append({
    ...base,
    state: 'REMEDIATED',
    time: '2026-11-20T10:00:30.000Z',
    details: {
      dryRun: false,
      undo: {
        changed: true,
        undo: {
          restApiId: 'a1b2c3d4e5',
          stageName: 'prod',
          previousRateLimit: 500,
          previousBurstLimit: 1000,
          set: { rateLimit: 100, burstLimit: 200 },
        },
      },
    },
  });
});

describe('warden audit query', () => {
  it("prints a finding's history in order", async () => {
    const result = await run(['audit', 'query', '--finding', 'f1']);
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .split('\n')
        .filter((line) => line.includes('apigateway'))
        .map((line) => line.split(/\s+/)[1]),
    ).toEqual(['DETECTED', 'REMEDIATED']);
  });

  it('answers a resource, an account range and a check/state as JSON', async () => {
    expect(JSON.parse((await run(['audit', 'query', '--resource', STAGE, '--json'])).stdout)).toHaveLength(2);
    expect(JSON.parse((await run(['audit', 'query', '--account', '111122223333', '--from', '2026-11-20T10:00:10Z', '--json'])).stdout)).toHaveLength(
      1,
    );
    expect(
      JSON.parse((await run(['audit', 'query', '--check', 'apigateway-stage-throttling', '--state', 'REMEDIATED', '--json'])).stdout),
    ).toHaveLength(1);
    expect(JSON.parse((await run(['audit', 'query', '--pending', '--json'])).stdout)).toEqual([]);
  });

  it('refuses ambiguous or missing selections', async () => {
    expect((await run(['audit', 'query'])).code).toBe(2);
    expect((await run(['audit', 'query', '--finding', 'f1', '--pending'])).code).toBe(2);
    expect((await run(['audit', 'query', '--check', 'x'])).code).toBe(2);
  });

  it("finds the table in the deployed stack's outputs when no flag or variable names it", async () => {
    const table = env['WARDEN_AUDIT_TABLE'];
    env = {};
    cloudformation
      .on(DescribeStacksCommand, { StackName: 'Warden-Hub' })
      .rejects(Object.assign(new Error('Stack with id Warden-Hub does not exist'), { name: 'ValidationError' }));
    cloudformation.on(DescribeStacksCommand, { StackName: 'Warden-Standalone' }).resolves({
      Stacks: [
        {
          StackName: 'Warden-Standalone',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [{ OutputKey: 'HubAuditTableName8B2C4F01', OutputValue: table }],
        },
      ],
    });
    const result = await run(['audit', 'query', '--finding', 'f1', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(2);
  });

  it('says how to name the table when no stack is deployed', async () => {
    env = {};
    cloudformation.on(DescribeStacksCommand).rejects(Object.assign(new Error('does not exist'), { name: 'ValidationError' }));
    const result = await run(['audit', 'query', '--finding', 'f1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no audit table: pass --table, set WARDEN_AUDIT_TABLE, or deploy Warden-Hub or Warden-Standalone');
  });
});

describe('warden audit verify', () => {
  it('reports intact chains with exit 0', async () => {
    const result = await run(['audit', 'verify']);
    expect(result).toMatchObject({ code: 0, stdout: '1 findings, 2 records, 0 digests: every chain intact\n' });
  });

  it('names a finding deleted whole, records and projection, from the hourly digest', async () => {
    const digests = new AuditDigests(local.document, env['WARDEN_AUDIT_TABLE']!);
    await digests.writeUpTo(new Date(Date.now() + 3600_000));
    for (const sk of [recordSortKey(1), recordSortKey(2), LATEST])
      await local.document.send(new DeleteCommand({ TableName: env['WARDEN_AUDIT_TABLE'], Key: { pk: findingKey('f1'), sk } }));
    const result = await run(['audit', 'verify']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('TAMPERED f1 deleted-finding: finding f1 is in the digest of');
    expect(result.stdout).toContain('1 findings, 0 records, 1 digests: 1 problems');
  });

  it('names an edited record and exits 1', async () => {
    await local.document.send(
      new UpdateCommand({
        TableName: env['WARDEN_AUDIT_TABLE'],
        Key: { pk: findingKey('f1'), sk: recordSortKey(1) },
        UpdateExpression: 'SET actor = :a',
        ExpressionAttributeValues: { ':a': 'mallory' },
      }),
    );
    const result = await run(['audit', 'verify', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ problems: [{ findingId: 'f1', seq: 1, problem: 'edited' }] });
  });
});

describe('warden undo', () => {
  const REASON = ['--reason', 'batch jobs need the old limits until Q3'];
  const RESTORE = [
    { op: 'replace', path: '/*/*/throttling/rateLimit', value: '500' },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: '1000' },
  ];

  it('runs the remediator undo with the recorded pre-change state and records who undid it, and what it called', async () => {
    const result = await run(['undo', 'f1', '--yes', ...REASON]);
    expect(result.code).toBe(0);
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, { restApiId: 'a1b2c3d4e5', stageName: 'prod', patchOperations: RESTORE });
    const history = await store.findingHistory('f1');
    expect(history.at(-1)).toMatchObject({
      state: 'UNDONE',
      actor: 'arn:aws:sts::111122223333:assumed-role/SecOps/alice',
      seq: 3,
      details: { undid: 'f1#2', calls: [{ client: 'APIGateway', operation: 'UpdateStage' }] },
    });
    expect(history.at(-1)?.details).not.toHaveProperty('forced');
    // An undone fix is an accepted risk, for 30 days by default, kept where the detector reads it.
    const until = (history.at(-1)?.details['acceptedRisk'] as { until: string }).until;
    expect(history.at(-1)?.details['acceptedRisk']).toEqual({
      by: 'arn:aws:sts::111122223333:assumed-role/SecOps/alice',
      reason: 'batch jobs need the old limits until Q3',
      until,
    });
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const risks = new AcceptedRisks(local.client, env['WARDEN_COUNTER_TABLE'] as string);
    await expect(risks.find('apigateway-stage-throttling', STAGE, new Date())).resolves.toMatchObject({ findingId: 'f1', until });
    expect(result.stdout).toContain(`accepted risk until ${until.slice(0, 10)}`);
    expect((await run(['undo', 'f1', '--yes', ...REASON])).stderr).toContain('already undone');
  });

  it('--dry-run prints the calls undo would make and calls nothing', async () => {
    const result = await run(['undo', 'f1', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run: undo apigateway-stage-throttling');
    expect(result.stdout).toContain('would call: APIGateway.UpdateStage {"restApiId":"a1b2c3d4e5","stageName":"prod","patchOperations":[');
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
    expect((await store.findingHistory('f1')).map((record) => record.state)).toEqual(['DETECTED', 'REMEDIATED']);
  });

  it('asks before acting, and a "no" changes nothing; without a terminal it needs --yes', async () => {
    const declined = await run(['undo', 'f1', ...REASON], 'n');
    expect(declined).toMatchObject({ code: 1, stderr: 'warden undo: declined; nothing was changed\n' });
    expect(declined.asked).toEqual([`Undo Warden's fix of ${STAGE}? [y/N] `]);
    const unattended = await run(['undo', 'f1', ...REASON]);
    expect(unattended.code).toBe(2);
    expect(unattended.stderr).toContain('pass --yes');
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
    expect((await run(['undo', 'f1', ...REASON], 'yes')).code).toBe(0);
    expect(apigateway).toHaveReceivedCommandTimes(UpdateStageCommand, 1);
  });

  it('refuses when the limits were tuned since the fix, showing what changed; --force undoes and says it was forced', async () => {
    apigateway.on(GetStageCommand).resolves({ methodSettings: { '*/*': { throttlingRateLimit: 250, throttlingBurstLimit: 200 } } });
    const refused = await run(['undo', 'f1', '--yes', ...REASON]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('changed since the fix: */* rate limit: Warden left 100, now 250');
    expect(refused.stderr).toContain('nothing was undone. Pass --force to undo anyway');
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
    const forced = await run(['undo', 'f1', '--yes', '--force', ...REASON]);
    expect(forced.code).toBe(0);
    expect((await store.findingHistory('f1')).at(-1)?.details).toMatchObject({
      forced: true,
      changedSinceFix: [{ field: '*/* rate limit', warden: '100', now: '250' }],
    });
  });

  it('needs a reason and a sensible acceptance period before it changes anything', async () => {
    expect((await run(['undo', 'f1', '--yes'])).stderr).toContain('pass --reason');
    expect((await run(['undo', 'f1', '--yes', ...REASON, '--accept-days', '400'])).code).toBe(2);
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
  });

  it('refuses a finding with no applied remediation', async () => {
    const result = await run(['undo', 'unknown-finding', ...REASON]);
    expect(result).toMatchObject({ code: 1, stderr: 'warden undo: no audit records for finding unknown-finding\n' });
    expect((await run(['undo'])).code).toBe(2);
  });
});
