import { createCountersTable } from '../../support/counters-table';
import { APIGatewayClient, GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createAuditTable, type LocalDynamoDb, startLocalDynamoDb } from '../../../cli/local-dynamodb';
import { runCli } from '../../support/run-cli';
import { AuditStore } from '../../../core/audit/audit-store';
import { AuditDigests } from '../../../core/audit/audit-digest';
import { AcceptedRisks } from '../../../detectors/accepted-risks';
import { findingKey, LATEST, recordSortKey } from '../../../core/audit/audit-table';

/** A finding id as Warden makes them (40 hex characters). */
const FINDING = '5ef4b29f0c1f6197fe80f4ccff68f24a5b3da58a';

const apigateway = mockClient(APIGatewayClient);
const sts = mockClient(STSClient);
const cloudformation = mockClient(CloudFormationClient);
const STAGE = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod';
let local: LocalDynamoDb;
let store: AuditStore;
let env: Record<string, string>;
let table = 0;

const run = (args: string[], answer?: string) => runCli(args, { env, ...(answer !== undefined ? { answer } : {}) });

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
    findingId: FINDING,
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
    const result = await run(['audit', 'query', '--finding', FINDING]);
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .split('\n')
        .filter((line) => line.includes('apigateway'))
        .map((line) => line.split(/\s+/)[1]),
    ).toEqual(['DETECTED', 'REMEDIATED']);
  });

  it('marks the records of a dry run as a dry run', async () => {
    const dry = 'aa'.repeat(20);
    const record = {
      findingId: dry,
      account: '111122223333',
      region: 'us-east-1',
      check: 'apigateway-stage-throttling',
      resourceArn: STAGE,
      actor: 'warden',
    };
    await store.append({ ...record, state: 'REMEDIATED', time: '2026-11-20T11:00:00.000Z', details: { dryRun: true, mode: 'auto' } });
    const result = await run(['audit', 'query', '--finding', dry]);
    expect(result.stdout).toMatch(/^2026-11-20T11:00:00\.000Z {2}REMEDIATED \(dry run\) apigateway-stage-throttling /m);
    const real = await run(['audit', 'query', '--finding', FINDING]);
    expect(real.stdout).not.toContain('(dry run)');
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

  it.each([
    [['--check', 'apigateway-stage-throttling', '--state', 'BOGUS'], "--state 'BOGUS' is not an audit state: one of REMEDIATED, "],
    [['--check', 'apigateway-stage-throttling', '--state', 'FAILD'], "--state 'FAILD' is not an audit state (did you mean 'FAILED'?)"],
    [['--check', 'nope', '--state', 'FAILED'], "--check 'nope' is not a check: 'warden checks' lists them"],
    [['--check', 'apigateway-stage-throttlng', '--state', 'FAILED'], "(did you mean 'apigateway-stage-throttling'?)"],
    [['--account', '1234'], "--account '1234' is not an AWS account id (12 digits)"],
    [
      ['--account', '111122223333', '--from', 'yesterday'],
      "--from 'yesterday' is not an ISO-8601 date or time, e.g. 2026-11-01 or 2026-11-01T10:00:00Z",
    ],
    [['--account', '111122223333', '--from', '2026-12-01', '--to', '2026-11-01'], '--from 2026-12-01 is after --to 2026-11-01'],
    [['--finding', FINDING, '--from', '2026-11-01'], '--from and --to apply to --resource, --account or --check with --state'],
    [['--finding', 'f1'], "--finding 'f1' is not a finding id (40 hex characters, as reports and Slack show it)"],
  ])('refuses %j in one line, before any AWS call: %s', async (flags, message) => {
    const result = await run(['audit', 'query', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/ \(usage: 'warden audit query --help'\)\n$/);
    expect(cloudformation.calls()).toHaveLength(0);
  });

  it('names the table and region when the table does not exist, in one line, with exit code 3', async () => {
    const result = await run(['audit', 'query', '--table', 'warden-audit-typo', '--region', 'us-east-1', '--finding', FINDING]);
    expect(result).toMatchObject({
      code: 3,
      stderr: 'warden audit query: table warden-audit-typo not found in us-east-1: pass --table and --region of the deployed Warden audit table\n',
    });
  });

  it('refuses ambiguous or missing selections', async () => {
    expect((await run(['audit', 'query'])).code).toBe(2);
    expect((await run(['audit', 'query', '--finding', FINDING, '--pending'])).code).toBe(2);
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
    const result = await run(['audit', 'query', '--finding', FINDING, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(2);
  });

  it('says how to name the table when no stack is deployed', async () => {
    env = {};
    cloudformation.on(DescribeStacksCommand).rejects(Object.assign(new Error('does not exist'), { name: 'ValidationError' }));
    const result = await run(['audit', 'query', '--finding', FINDING]);
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
      await DynamoDBDocumentClient.from(local.client).send(
        new DeleteCommand({ TableName: env['WARDEN_AUDIT_TABLE'], Key: { pk: findingKey(FINDING), sk } }),
      );
    const result = await run(['audit', 'verify']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`TAMPERED ${FINDING} deleted-finding: finding ${FINDING} is in the digest of`);
    expect(result.stdout).toContain('1 findings, 0 records, 1 digests: 1 problems');
  });

  it('names an edited record and exits 1', async () => {
    await DynamoDBDocumentClient.from(local.client).send(
      new UpdateCommand({
        TableName: env['WARDEN_AUDIT_TABLE'],
        Key: { pk: findingKey(FINDING), sk: recordSortKey(1) },
        UpdateExpression: 'SET actor = :a',
        ExpressionAttributeValues: { ':a': 'mallory' },
      }),
    );
    const result = await run(['audit', 'verify', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ problems: [{ findingId: FINDING, seq: 1, problem: 'edited' }] });
  });
});

describe('warden undo', () => {
  const REASON = ['--reason', 'batch jobs need the old limits until Q3'];
  const RESTORE = [
    { op: 'replace', path: '/*/*/throttling/rateLimit', value: '500' },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: '1000' },
  ];

  it('runs the remediator undo with the recorded pre-change state and records who undid it, and what it called', async () => {
    const result = await run(['undo', FINDING, '--yes', ...REASON]);
    expect(result.code).toBe(0);
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, { restApiId: 'a1b2c3d4e5', stageName: 'prod', patchOperations: RESTORE });
    const history = await store.findingHistory(FINDING);
    expect(history.at(-1)).toMatchObject({
      state: 'UNDONE',
      actor: 'arn:aws:sts::111122223333:assumed-role/SecOps/alice',
      seq: 3,
      details: { undid: `${FINDING}#2`, calls: [{ client: 'APIGateway', operation: 'UpdateStage' }] },
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
    await expect(risks.find('apigateway-stage-throttling', STAGE, new Date())).resolves.toMatchObject({ findingId: FINDING, until });
    expect(result.stdout).toContain(`accepted risk until ${until.slice(0, 10)}`);
    expect((await run(['undo', FINDING, '--yes', ...REASON])).stderr).toContain('already undone');
  });

  it('answers in JSON with --json: the calls a dry run would make, and nothing changed', async () => {
    const result = await run(['undo', FINDING, '--dry-run', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dryRun: true,
      undone: false,
      check: 'apigateway-stage-throttling',
      resourceArn: STAGE,
      calls: [{ client: 'APIGateway', operation: 'UpdateStage' }],
      drift: [],
    });
    expect((await store.findingHistory(FINDING)).map((record) => record.state)).toEqual(['DETECTED', 'REMEDIATED']);
  });

  it('--dry-run prints the calls undo would make and calls nothing', async () => {
    const result = await run(['undo', FINDING, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run: undo apigateway-stage-throttling');
    expect(result.stdout).toContain('would call: APIGateway.UpdateStage {"restApiId":"a1b2c3d4e5","stageName":"prod","patchOperations":[');
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
    expect((await store.findingHistory(FINDING)).map((record) => record.state)).toEqual(['DETECTED', 'REMEDIATED']);
  });

  it('asks before acting, and a "no" changes nothing; without a terminal it needs --yes', async () => {
    const declined = await run(['undo', FINDING, ...REASON], 'n');
    expect(declined).toMatchObject({ code: 1, stderr: 'warden undo: declined; nothing was changed\n' });
    expect(declined.asked).toEqual([`Undo Warden's fix of ${STAGE}? [y/N] `]);
    const unattended = await run(['undo', FINDING, ...REASON]);
    expect(unattended.code).toBe(2);
    expect(unattended.stderr).toContain('pass --yes');
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
    expect((await run(['undo', FINDING, ...REASON], 'yes')).code).toBe(0);
    expect(apigateway).toHaveReceivedCommandTimes(UpdateStageCommand, 1);
  });

  it('refuses when the limits were tuned since the fix, showing what changed; --force undoes and says it was forced', async () => {
    apigateway.on(GetStageCommand).resolves({ methodSettings: { '*/*': { throttlingRateLimit: 250, throttlingBurstLimit: 200 } } });
    const refused = await run(['undo', FINDING, '--yes', ...REASON]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('changed since the fix: */* rate limit: Warden left 100, now 250');
    expect(refused.stderr).toContain('nothing was undone. Pass --force to undo anyway');
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
    const forced = await run(['undo', FINDING, '--yes', '--force', ...REASON]);
    expect(forced.code).toBe(0);
    expect((await store.findingHistory(FINDING)).at(-1)?.details).toMatchObject({
      forced: true,
      changedSinceFix: [{ field: '*/* rate limit', warden: '100', now: '250' }],
    });
  });

  it('needs a reason and a sensible acceptance period before it changes anything', async () => {
    expect((await run(['undo', FINDING, '--yes'])).stderr).toContain('pass --reason');
    expect((await run(['undo', FINDING, '--yes', ...REASON, '--accept-days', '400'])).code).toBe(2);
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
  });

  it('refuses a finding with no applied remediation', async () => {
    const result = await run(['undo', 'unknown-finding', ...REASON]);
    expect(result).toMatchObject({ code: 1, stderr: 'warden undo: no audit records for finding unknown-finding\n' });
    expect((await run(['undo'])).code).toBe(2);
  });
});
