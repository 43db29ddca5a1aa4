import { createCountersTable } from '../../support/counters-table';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { APIGatewayClient, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetWebACLForResourceCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DocumentClient } from '../../../core/aws/document-client';
import { createAuditTable, type LocalDynamoDb, startLocalDynamoDb } from '../../../cli/local-dynamodb';
import { AuditStore } from '../../../core/audit/audit-store';
import { getCheck } from '../../../core/catalogue';
import { parsePolicy } from '../../../core/policy/parse-policy';
import { writeCheckEntry } from '../../../stacks/constructs/check-entries';
import { eventFixture } from '../../support/events';
import { apiFixture } from '../../support/fixtures';
import { lambdaContext } from '../../support/lambda-context';
import type { Context } from 'aws-lambda';

/**
 * The Lambda entry points as Lambda loads them: module initialisation from environment variables,
 * then one invocation. SDK calls are mocked, except DynamoDB, which goes to dynalite.
 */
// Entry points initialise at load time, so they are required inside the tests, after the environment is set.
type DetectorEntry = { handler: (event: unknown, context: Context) => Promise<unknown> };
type AuditWriterEntry = { handler: (event: unknown, context: Context) => Promise<void> };

const apigateway = mockClient(APIGatewayClient);
const wafv2 = mockClient(WAFV2Client);
const sfn = mockClient(SFNClient);
let local: LocalDynamoDb;
/** The workflow input the detector started, for the remediator's plan. */
let started: { finding: { findingId: string }; decision: { settings: Record<string, unknown> } } | undefined;

beforeAll(async () => {
  local = await startLocalDynamoDb();
  await createCountersTable(local.client, 'counters');
  await createAuditTable(local.client, 'audit');
  await local.client.send(
    new CreateTableCommand({
      TableName: 'approvals',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'approvalId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'approvalId', AttributeType: 'S' }],
    }),
  );
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_DEV: 'false',
    WARDEN_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111122223333:stateMachine:warden-remediation',
    WARDEN_COUNTER_TABLE: 'counters',
    WARDEN_AUDIT_TABLE: 'audit',
    WARDEN_APPROVALS_TABLE: 'approvals',
    WARDEN_BASELINE_WEB_ACL_ARN: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/warden-baseline/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    // As synth embeds it: the policy parsed, defaults applied (functions/runtime.ts embeddedPolicy).
    WARDEN_POLICY_JSON: JSON.stringify(
      parsePolicy(
        JSON.stringify({
          version: 1,
          checks: { 'apigateway-stage-waf': { mode: 'auto', webAcl: 'baseline' } },
          approvals: {
            slack: {
              channel: 'C0123456789',
              approvers: ['U0123ABCD9'],
              botToken: 'secret:warden/slack-bot',
              signingSecret: 'secret:warden/slack-signing',
            },
          },
        }),
        'entry-points.json',
      ).policy,
    ),
  });
});
afterAll(async () => {
  delete process.env['AWS_ENDPOINT_URL_DYNAMODB'];
  await local.stop();
});

describe('Lambda entry points', () => {
  it('detector: an EventBridge event becomes one workflow execution, named by finding and episode', async () => {
    apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-throttled-500'));
    wafv2.on(GetWebACLForResourceCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    const silence = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    // The entry `cdk synth` generates for the check from its catalogue entry.
    const { handler } = jest.requireActual<DetectorEntry>(writeCheckEntry(getCheck('apigateway-stage-waf'), 'detector'));
    const event = eventFixture('cloudtrail-apigateway-create-stage');
    const context = lambdaContext('warden-detector');
    await expect(handler(event, context)).resolves.toEqual({ kind: 'cloudtrail', outcomes: { started: 1 } });
    await expect(handler(event, context)).resolves.toEqual({ kind: 'cloudtrail', outcomes: { duplicate: 1 } });
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}') as {
      finding: { findingId: string };
      decision: { mode: string; settings: Record<string, unknown> };
      plan?: unknown;
    };
    expect(input.decision.mode).toBe('auto');
    // Detection does not plan: the workflow's Plan state asks the remediator (next test).
    expect(input.plan).toBeUndefined();
    started = input;
    silence.mockRestore();
  });

  it("remediator: the workflow's Plan state gets the exact calls, with the stack's baseline web ACL, and no AWS call is made", async () => {
    expect(started).toBeDefined();
    const silence = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    apigateway.resetHistory();
    wafv2.resetHistory();
    const { handler } = jest.requireActual<DetectorEntry>(writeCheckEntry(getCheck('apigateway-stage-waf'), 'remediator'));
    const plan = (await handler(
      { action: 'plan', finding: started?.finding, settings: started?.decision.settings, execution: 'x' },
      lambdaContext('warden-remediator'),
    )) as { calls: { client: string; operation: string; input: { WebACLArn: string } }[]; notes: string[] };
    expect(plan.calls.map((call) => [call.client, call.operation, call.input.WebACLArn])).toEqual([
      ['WAFV2', 'AssociateWebACL', process.env['WARDEN_BASELINE_WEB_ACL_ARN']],
    ]);
    expect(apigateway.calls()).toHaveLength(0);
    expect(wafv2.calls()).toHaveLength(0);
    await expect(handler({ action: 'undo', finding: started?.finding, settings: {} }, lambdaContext('warden-remediator'))).rejects.toThrow(
      'unknown remediator action "undo"',
    );
    silence.mockRestore();
  });

  it('audit writer: appends a hash-chained record with the account from the envelope', async () => {
    const silence = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    const { handler } = jest.requireActual<AuditWriterEntry>('../../../functions/audit-writer');
    await handler(
      {
        version: '0',
        id: 'e1',
        'detail-type': 'Warden Audit Record',
        source: 'warden',
        account: '444455556666',
        region: 'eu-west-1',
        time: '2026-11-20T10:00:00Z',
        resources: [],
        detail: { state: 'DETECTED', findingId: 'f1', check: 'apigateway-stage-waf', resourceArn: 'arn:x', time: '2026-11-20T10:00:00Z' },
      },
      lambdaContext('warden-audit-writer'),
    );
    const store = new AuditStore(new DocumentClient(new DynamoDBClient({ region: 'us-east-1', endpoint: local.endpoint })), 'audit');
    expect(await store.findingHistory('f1')).toEqual([
      expect.objectContaining({ seq: 1, account: '444455556666', state: 'DETECTED', prevHash: null }),
    ]);
    silence.mockRestore();
  });
  // Slack interactions: test/unit/functions/slack-interactions.test.ts (the hostile-request suite).
});
