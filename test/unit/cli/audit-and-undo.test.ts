import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
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

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    cwd: ROOT,
  });
  return { code, stdout, stderr };
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
  env = { WARDEN_AUDIT_TABLE: `audit-cli-${table}` };
  await createAuditTable(local.client, env['WARDEN_AUDIT_TABLE'] as string);
  store = new AuditStore(local.document, env['WARDEN_AUDIT_TABLE'] as string);
  apigateway.reset();
  sts.reset();
  cloudformation.reset();
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
      undo: { changed: true, undo: { restApiId: 'a1b2c3d4e5', stageName: 'prod', previousRateLimit: 500, previousBurstLimit: 1000 } },
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
  it('runs the remediator undo with the recorded pre-change state and records who undid it', async () => {
    const result = await run(['undo', 'f1']);
    expect(result.code).toBe(0);
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, {
      restApiId: 'a1b2c3d4e5',
      stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '500' },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '1000' },
      ],
    });
    const history = await store.findingHistory('f1');
    expect(history.at(-1)).toMatchObject({ state: 'UNDONE', actor: 'arn:aws:sts::111122223333:assumed-role/SecOps/alice', seq: 3 });
    expect((await run(['undo', 'f1'])).stderr).toContain('already undone');
  });

  it('refuses a finding with no applied remediation', async () => {
    const result = await run(['undo', 'unknown-finding']);
    expect(result).toMatchObject({ code: 1, stderr: 'warden undo: no audit records for finding unknown-finding\n' });
    expect((await run(['undo'])).code).toBe(2);
  });
});
