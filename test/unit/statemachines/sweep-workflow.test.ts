import {
  APIGatewayClient,
  GetAccountCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
} from '@aws-sdk/client-api-gateway';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { GetPolicyCommand, LambdaClient, ListFunctionsCommand, ListFunctionUrlConfigsCommand } from '@aws-sdk/client-lambda';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetPolicyCommand as GetIamPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetWebACLForResourceCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { CATALOGUE, type CheckId } from '../../../core/catalogue';
import { SWEEP_INCOMPLETE_DETAIL_TYPE } from '../../../core/events/bus-contract';
import { parsePolicy } from '../../../core/policy/parse-policy';
import type { WorkflowStart } from '../../../core/workflow-input';
import { handleDetectorEvent } from '../../../detectors/handle-event';
import { DETECTORS } from '../../../detectors/index';
import type { LocalEvent } from '../../../statemachines/local-task-handlers';
import { localTaskHandlers } from '../../../statemachines/local-task-handlers';
import { runLocally } from '../../../statemachines/run-locally';
import { buildSweepDefinition, SWEEP_STATE_MACHINE_NAME } from '../../../statemachines/sweep-workflow';
import { captureLog } from '../../support/capture-log';
import { apiFixture } from '../../support/fixtures';
import { NO_WAIT } from '../../support/findings';

const mocks = {
  apigateway: mockClient(APIGatewayClient),
  dynamodb: mockClient(DynamoDBClient),
  iam: mockClient(IAMClient),
  lambda: mockClient(LambdaClient),
  logs: mockClient(CloudWatchLogsClient),
  sns: mockClient(SNSClient),
  sqs: mockClient(SQSClient),
  wafv2: mockClient(WAFV2Client),
};
const NOW = new Date('2026-11-20T03:17:00Z');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const POLICY = parsePolicy('version: 1\ndefaults: { mode: report }\n', 'policy.yaml', NOW).policy;
const detectorArn = (check: CheckId) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:warden-detector-${check}`;
const DEFINITION = buildSweepDefinition({
  partition: 'aws',
  eventBusArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/warden-member`,
  detectorFunctionArns: Object.fromEntries(CATALOGUE.map((check) => [check.id, detectorArn(check.id)])) as Record<CheckId, string>,
});
const clients = {
  apigateway: new APIGatewayClient({ region: REGION }),
  dynamodb: new DynamoDBClient({ region: REGION }),
  iam: new IAMClient({ region: REGION }),
  kms: new KMSClient({ region: REGION }),
  lambda: new LambdaClient({ region: REGION }),
  logs: new CloudWatchLogsClient({ region: REGION }),
  sns: new SNSClient({ region: REGION }),
  sqs: new SQSClient({ region: REGION }),
  wafv2: new WAFV2Client({ region: REGION }),
};

/**
 * Runs the sweep definition in the local engine, each detector invocation answered by that check's real
 * detector code (one page a step, as a Lambda with little time left would), over mocked AWS answers.
 */
async function sweepAccount() {
  const capture = captureLog();
  const started: WorkflowStart[] = [];
  const events: LocalEvent[] = [];
  const invoked: string[] = [];
  const handlers = localTaskHandlers(DEFINITION, {
    putEvent: (event) => Promise.resolve(void events.push(event)),
    invoke: (payload, functionName) => {
      const check = CATALOGUE.find((entry) => detectorArn(entry.id) === functionName)?.id;
      if (!check) throw new Error(`the sweep invoked ${functionName}, no detector`);
      invoked.push(check);
      return handleDetectorEvent(payload, {
        detector: DETECTORS[check],
        clients: clients as never,
        policy: POLICY,
        organizationalUnits: [],
        startWorkflow: (input) => Promise.resolve(void started.push(input)).then(() => 'started' as const),
        log: capture.log,
        metrics: capture.metrics,
        now: () => NOW,
        poll: NO_WAIT,
        scope: { account: ACCOUNT, region: REGION },
        another: () => false,
      });
    },
  });
  const run = await runLocally(DEFINITION, {}, handlers, {
    executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:${SWEEP_STATE_MACHINE_NAME}:daily`,
    now: NOW,
    skipRetryWaits: true,
  });
  return { run, started, events, invoked, ...capture };
}

beforeEach(() => {
  for (const mock of Object.values(mocks)) mock.reset();
  // Two pages of REST APIs, one API and one stage each; neither stage is throttled nor protected.
  mocks.apigateway.on(GetRestApisCommand).resolves({ items: [{ id: 'api1' }], position: 'p2' });
  mocks.apigateway.on(GetRestApisCommand, { position: 'p2' }).resolves({ items: [{ id: 'api2' }] });
  mocks.apigateway.on(GetStagesCommand).resolves({ item: [apiFixture('apigateway-get-stage-no-method-settings')] });
  mocks.wafv2.on(GetWebACLForResourceCommand).resolves({});
  mocks.apigateway.on(GetResourcesCommand).resolves(apiFixture('apigateway-get-resources-open'));
  mocks.apigateway.on(GetRestApiCommand).resolves({ tags: {} });
  mocks.apigateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch` });
  mocks.lambda.on(ListFunctionsCommand).resolves({ Functions: [apiFixture('lambda-get-function-configuration-clean')] });
  mocks.sqs.on(ListQueuesCommand).resolves({});
  mocks.sns.on(ListTopicsCommand).resolves({});
  mocks.lambda.on(ListFunctionUrlConfigsCommand).resolves({ FunctionUrlConfigs: [] });
  mocks.lambda.on(GetPolicyCommand).resolves(apiFixture('lambda-get-policy-tied'));
  mocks.logs.on(DescribeLogGroupsCommand).resolves(apiFixture('logs-describe-log-groups-30-days'));
  // One execution role, scoped to its resources.
  mocks.iam.on(ListRolesCommand).resolves({ Roles: apiFixture<{ Roles: never[] }>('iam-list-roles').Roles.slice(0, 1), IsTruncated: false });
  mocks.iam.on(GetRoleCommand).resolves(apiFixture('iam-get-role-lambda'));
  mocks.iam.on(ListRolePoliciesCommand).resolves(apiFixture('iam-list-role-policies'));
  mocks.iam.on(GetRolePolicyCommand).resolves(apiFixture('iam-get-role-policy-scoped'));
  mocks.iam.on(ListAttachedRolePoliciesCommand).resolves(apiFixture('iam-list-attached-role-policies-basic'));
  mocks.iam.on(GetIamPolicyCommand).resolves(apiFixture('iam-get-policy-basic-execution'));
  mocks.iam.on(GetPolicyVersionCommand).resolves(apiFixture('iam-get-policy-version-basic-execution'));
  mocks.dynamodb
    .on(ListTablesCommand)
    .rejects(Object.assign(new Error('not authorized to perform dynamodb:ListTables'), { name: 'AccessDeniedException' }));
});

describe('the sweep workflow, run by the local engine', () => {
  it('sweeps every check in catalogue order, one at a time, each paged through its detector until its list ends', async () => {
    const { run, invoked } = await sweepAccount();
    expect(run.status).toBe('SUCCEEDED');
    // A failing step is retried three times (the DynamoDB list is refused each time), then reported.
    const expected = CATALOGUE.flatMap((check): CheckId[] =>
      check.id.startsWith('apigateway-')
        ? [check.id, check.id]
        : check.id === 'dynamodb-table-encryption'
          ? Array<CheckId>(4).fill(check.id)
          : [check.id],
    );
    expect(invoked).toEqual(expected);
  });

  it("ends with one summary: each check's outcomes, or why its sweep is incomplete", async () => {
    const { run } = await sweepAccount();
    expect(run.output).toEqual([
      { check: 'dynamodb-table-encryption', incomplete: 'AccessDeniedException', outcomesSoFar: {} },
      { check: 'apigateway-stage-throttling', outcomes: { started: 2 } },
      { check: 'apigateway-stage-waf', outcomes: { started: 2 } },
      { check: 'lambda-function-env-secrets', outcomes: { compliant: 1 } },
      { check: 'sqs-queue-encryption', outcomes: {} },
      { check: 'lambda-log-group-retention', outcomes: { compliant: 1 } },
      { check: 'sns-topic-encryption', outcomes: {} },
      { check: 'lambda-function-url-auth', outcomes: { 'not-applicable': 1 } },
      { check: 'apigateway-method-authorization', outcomes: { started: 2 } },
      { check: 'lambda-function-public-access', outcomes: { compliant: 1 } },
      { check: 'apigateway-stage-access-logging', outcomes: { started: 2 } },
      { check: 'lambda-execution-role-wildcards', outcomes: { compliant: 1 } },
    ]);
    // Standard workflows bill state transitions: a daily sweep of this account is a few per check.
    expect(run.transitions).toBeLessThan(8 * CATALOGUE.length);
  });

  it("hands each step's cursor to the next: the second step lists from the first page's position", async () => {
    await sweepAccount();
    const positions = mocks.apigateway.commandCalls(GetRestApisCommand).map((call) => call.args[0].input.position);
    // Four checks list REST APIs: the three stage checks and the method check.
    expect(positions).toEqual([undefined, 'p2', undefined, 'p2', undefined, 'p2', undefined, 'p2']);
  });

  it('reports a check whose sweep failed to the hub, with its error, and still sweeps the checks after it', async () => {
    const { events, started } = await sweepAccount();
    expect(events).toEqual([
      {
        source: 'warden',
        detailType: SWEEP_INCOMPLETE_DETAIL_TYPE,
        detail: expect.objectContaining({ check: 'dynamodb-table-encryption', error: 'AccessDeniedException', outcomesSoFar: {} }),
      },
    ]);
    // Both stages of both stage checks were judged noncompliant (report mode still starts a workflow to record it),
    // and both APIs have an open method.
    expect(started.map((input) => input.finding.check).sort()).toEqual([
      'apigateway-method-authorization',
      'apigateway-method-authorization',
      'apigateway-stage-access-logging',
      'apigateway-stage-access-logging',
      'apigateway-stage-throttling',
      'apigateway-stage-throttling',
      'apigateway-stage-waf',
      'apigateway-stage-waf',
    ]);
  });
});
