import { APIGatewayClient, GetRestApisCommand, GetStageCommand, GetStagesCommand, NotFoundException } from '@aws-sdk/client-api-gateway';
import { GetFunctionConfigurationCommand, LambdaClient, ListTagsCommand } from '@aws-sdk/client-lambda';
import { GetWebACLForResourceCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { MalformedEventError } from '../../../core/events/errors';
import { parsePolicy } from '../../../core/policy/parse-policy';
import type { WorkflowStart } from '../../../core/workflow-input';
import { apigatewayStageWafDetector } from '../../../detectors/apigateway-stage-waf';
import { type DetectionDeps, detectResource } from '../../../detectors/detect';
import { handleDetectorEvent } from '../../../detectors/handle-event';
import { dynamodbTableEncryptionDetector } from '../../../detectors/dynamodb-table-encryption';
import { DescribeTableCommand, DynamoDBClient, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { lambdaFunctionEnvSecretsDetector } from '../../../detectors/lambda-function-env-secrets';
import { withPlan } from '../../../remediators/index';
import { captureLog } from '../../support/capture-log';
import { eventFixture } from '../../support/events';
import { apiFixture, expectNoCanary } from '../../support/fixtures';
import { NO_WAIT } from '../../support/findings';
import { detectionDeps } from '../../support/detection-deps';

const apigateway = mockClient(APIGatewayClient);
const wafv2 = mockClient(WAFV2Client);
const lambda = mockClient(LambdaClient);
const NOW = new Date('2026-11-20T10:00:05Z');
const BASELINE = 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/warden-baseline/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const POLICY = parsePolicy(
  `version: 1
defaults: { mode: report }
checks: { apigateway-stage-waf: { mode: auto, webAcl: baseline } }
exemptions:
  - { tag: { key: "warden:exempt" } }
`,
  'policy.yaml',
  NOW,
).policy;

function wafDeps(overrides: Partial<DetectionDeps<'apigateway-stage-waf', never, 'apigateway' | 'wafv2'>> = {}) {
  const clients = { apigateway: new APIGatewayClient({ region: 'us-east-1' }), wafv2: new WAFV2Client({ region: 'us-east-1' }) };
  return detectionDeps(apigatewayStageWafDetector, clients, POLICY, { now: NOW, overrides });
}

beforeEach(() => {
  apigateway.reset();
  wafv2.reset();
  lambda.reset();
  apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-throttled-500'));
  wafv2.on(GetWebACLForResourceCommand).resolves({});
});

describe('handleDetectorEvent', () => {
  it('starts one workflow named after the finding for a noncompliant stage, with its decision, and leaves planning to the workflow', async () => {
    const { deps, started, counts } = wafDeps();
    await expect(handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), deps)).resolves.toEqual({
      kind: 'cloudtrail',
      outcomes: { started: 1 },
    });
    expect(started).toHaveLength(1);
    const [input] = started;
    expect(input?.finding).toMatchObject({
      check: 'apigateway-stage-waf',
      resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
      findingId: expect.stringMatching(/^[0-9a-f]{40}$/),
      trigger: { kind: 'cloudtrail', id: '2d3e4f5a-0000-4000-8000-000000000001' },
      tags: { team: 'payments' },
    });
    expect(input?.decision).toMatchObject({ mode: 'auto', exempt: false, decidedBy: 'checks.apigateway-stage-waf', dryRun: false });
    expect(input?.plan).toBeUndefined();
    expect(withPlan(input!, { baselineWebAclArn: BASELINE }).plan.calls).toEqual([
      {
        client: 'WAFV2',
        operation: 'AssociateWebACL',
        input: { WebACLArn: BASELINE, ResourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod' },
      },
    ]);
    expect(counts).toEqual({ WorkflowStarted: 1 });
  });

  it('gives the same finding the same id whichever event reports it', async () => {
    const { deps, started } = wafDeps();
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), deps);
    await handleDetectorEvent(eventFixture('config-apigateway-stage-change'), deps);
    expect(started[0]?.finding.findingId).toBe(started[1]?.finding.findingId);
  });

  it('starts nothing for a compliant or a deleted stage', async () => {
    const { deps, started } = wafDeps();
    wafv2.on(GetWebACLForResourceCommand).resolves(apiFixture('wafv2-get-web-acl-for-resource'));
    await expect(handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), deps)).resolves.toMatchObject({
      outcomes: { compliant: 1 },
    });
    apigateway.on(GetStageCommand).rejects(new NotFoundException({ message: 'Invalid stage identifier specified', $metadata: {} }));
    await expect(handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), deps)).resolves.toMatchObject({ outcomes: { deleted: 1 } });
    expect(started).toEqual([]);
  });

  it('still starts the workflow for an exempt resource, so the exemption is recorded', async () => {
    const { deps, started } = wafDeps();
    const stage = apiFixture<{ tags: Record<string, string> }>('apigateway-get-stage-throttled-500');
    stage.tags['warden:exempt'] = 'load test';
    apigateway.on(GetStageCommand).resolves(stage);
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), deps);
    expect(started[0]?.decision).toMatchObject({
      exempt: true,
      exemption: { rule: 'exemptions[0]', reason: 'tag warden:exempt: load test' },
      decidedBy: 'exemptions[0]',
    });
  });

  it("honours a risk the owner accepted when undoing Warden's fix: exempt until it lapses, and says who and why", async () => {
    const accepted = {
      check: 'apigateway-stage-waf',
      resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
      findingId: 'f0',
      by: 'arn:aws:sts::111122223333:assumed-role/SecOps/alice',
      reason: 'partner IPs blocked by the baseline',
      until: '2026-12-20T00:00:00.000Z',
    };
    const looked: string[] = [];
    const acceptedRisks = {
      find: (check: string, resourceArn: string, now: Date) => {
        looked.push(`${check} ${resourceArn}`);
        return Promise.resolve(now.getTime() < Date.parse(accepted.until) ? accepted : undefined);
      },
    };
    const { deps, started, counts } = wafDeps({ acceptedRisks });
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), deps);
    expect(looked).toEqual([`apigateway-stage-waf ${accepted.resourceArn}`]);
    expect(started[0]?.decision).toMatchObject({
      exempt: true,
      decidedBy: 'accepted risk',
      exemption: {
        rule: 'accepted risk',
        reason: 'partner IPs blocked by the baseline (accepted by arn:aws:sts::111122223333:assumed-role/SecOps/alice when undoing finding f0)',
        expires: '2026-12-20',
      },
    });
    expect(counts).toMatchObject({ AcceptedRisk: 1 });
    // Lapsed: judged and fixed again as the policy says.
    const later = wafDeps({ acceptedRisks, now: () => new Date('2026-12-21T00:00:00Z') });
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), later.deps);
    expect(later.started[0]?.decision).toMatchObject({ exempt: false, mode: 'auto' });
  });

  it("names the stack that manages the resource, and with iacManaged: ticket asks the stack's owner instead of fixing in place", async () => {
    const stage = apiFixture<{ tags: Record<string, string> }>('apigateway-get-stage-throttled-500');
    stage.tags['aws:cloudformation:stack-name'] = 'payments-api';
    stage.tags['aws:cloudformation:logical-id'] = 'ApiDeploymentStageprod1234';
    apigateway.on(GetStageCommand).resolves(stage);
    const stacks = { managedBy: () => Promise.resolve({ tool: 'cdk' as const, stack: 'payments-api', logicalId: 'ApiDeploymentStageprod1234' }) };
    const fixing = wafDeps({ stacks });
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), fixing.deps);
    expect(fixing.started[0]?.finding.managedBy).toEqual({ tool: 'cdk', stack: 'payments-api', logicalId: 'ApiDeploymentStageprod1234' });
    expect(fixing.started[0]?.decision).toMatchObject({ mode: 'auto' });
    const policy = parsePolicy('version: 1\nchecks: { apigateway-stage-waf: { mode: auto, iacManaged: ticket } }\n', 'p.yaml', NOW).policy;
    const ticketing = wafDeps({ stacks, policy });
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), ticketing.deps);
    expect(ticketing.started[0]?.decision).toMatchObject({ mode: 'ticket', decidedBy: 'iacManaged: ticket (cdk stack payments-api)' });
    // Without a stack lookup (simulate), the tags alone say which stack.
    const offline = wafDeps();
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), offline.deps);
    expect(offline.started[0]?.finding.managedBy).toEqual({ tool: 'cloudformation', stack: 'payments-api', logicalId: 'ApiDeploymentStageprod1234' });
  });

  it('stops auto-fixing a resource that broke again too often: a human decides, one ticket names who re-broke it', async () => {
    const earlier = [
      { at: '2026-11-20T02:00:00.000Z', by: 'cloudtrail' },
      { at: '2026-11-20T05:00:00.000Z', by: 'arn:aws:sts::111122223333:assumed-role/deploy/pipeline' },
      { at: '2026-11-20T08:00:00.000Z', by: 'arn:aws:sts::111122223333:assumed-role/deploy/pipeline' },
    ];
    const recorded: unknown[] = [];
    const rebreaks = (breaks: typeof earlier, ticketed = false) => ({
      recent: () => Promise.resolve({ breaks, ticketed }),
      record: (...args: unknown[]) => (recorded.push(args), Promise.resolve()),
    });
    const flapping = wafDeps({ rebreaks: rebreaks(earlier) });
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), flapping.deps);
    const decision = flapping.started[0]?.decision;
    expect(decision).toMatchObject({ mode: 'approval', decidedBy: 'flapping (3 re-breaks within 24h)' });
    expect(decision?.flapping?.rebreaks.map((rebreak) => rebreak.by)).toEqual([
      'arn:aws:sts::111122223333:assumed-role/deploy/pipeline',
      'arn:aws:sts::111122223333:assumed-role/deploy/pipeline',
      expect.stringMatching(/^arn:aws:iam::|^arn:aws:sts::/),
    ]);
    expect(decision?.flapping?.ticket).toBe(true);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toEqual(['apigateway-stage-waf', expect.any(String), expect.objectContaining({ at: NOW.toISOString() }), 86400, true]);
    // The same spell, already ticketed: still no automatic fix, no second ticket.
    const again = wafDeps({ rebreaks: rebreaks(earlier, true) });
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), again.deps);
    expect(again.started[0]?.decision.flapping?.ticket).toBe(false);
    // Fewer re-breaks: fixed automatically, and counted.
    const calm = wafDeps({ rebreaks: rebreaks(earlier.slice(0, 2)) });
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), calm.deps);
    expect(calm.started[0]?.decision).toMatchObject({ mode: 'auto' });
    expect(calm.started[0]?.decision).not.toHaveProperty('flapping');
  });

  it('keeps a policy exemption first, without asking for accepted risks', async () => {
    const looked: string[] = [];
    const { deps, started } = wafDeps({ acceptedRisks: { find: (check: string) => (looked.push(check), Promise.resolve(undefined)) } });
    const stage = apiFixture<{ tags: Record<string, string> }>('apigateway-get-stage-throttled-500');
    stage.tags['warden:exempt'] = 'load test';
    apigateway.on(GetStageCommand).resolves(stage);
    await handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), deps);
    expect(started[0]?.decision).toMatchObject({ exempt: true, decidedBy: 'exemptions[0]' });
    expect(looked).toEqual([]);
  });

  it('logs and counts a malformed event, starts nothing, and rethrows it for the dead-letter queue', async () => {
    const { deps, started, lines, counts } = wafDeps();
    const event = { ...eventFixture('cloudtrail-apigateway-create-stage'), account: 'not-an-account' };
    await expect(handleDetectorEvent(event, deps)).rejects.toThrow(MalformedEventError);
    expect(started).toEqual([]);
    expect(counts).toEqual({ MalformedEvent: 1 });
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'malformed event',
        attributes: {
          eventId: 'a1f0c6a8-0001-4c1e-9d1e-000000000005',
          detailType: 'AWS API Call via CloudTrail',
          source: 'aws.apigateway',
          problem: expect.stringContaining('account'),
        },
      },
    ]);
  });

  it('lets CreateDeployment without a stage name go, counted and logged, neither dead-lettered nor judged', async () => {
    const { deps, started, lines, counts } = wafDeps();
    const fixture = eventFixture('cloudtrail-apigateway-create-deployment') as Record<string, unknown> & { detail: Record<string, unknown> };
    const event = {
      ...fixture,
      detail: { ...fixture.detail, requestParameters: { restApiId: 'a1b2c3d4e5', createDeploymentInput: { description: 'cdk deploy' } } },
    };
    await expect(handleDetectorEvent(event, deps)).resolves.toEqual({ kind: 'cloudtrail', outcomes: {} });
    expect(started).toEqual([]);
    expect(apigateway).not.toHaveReceivedAnyCommand();
    expect(counts).toEqual({ EventWithoutResource: 1 });
    expect(lines).toEqual([
      {
        level: 'info',
        message: 'event names no resource to judge',
        attributes: { eventId: expect.any(String), why: expect.stringContaining('CreateDeployment without stageName') },
      },
    ]);
  });

  it.each([
    ['another account', { recipientAccountId: '999988887777' }, {}],
    ['another region', { awsRegion: 'eu-west-1' }, {}],
    ['another account in the envelope', {}, { account: '999988887777' }],
  ])('refuses an event about a resource of %s: logged, counted, never judged, never fixed', async (_case, detail, envelope) => {
    const { deps, started, lines, counts } = wafDeps();
    const fixture = eventFixture('cloudtrail-apigateway-create-stage') as Record<string, unknown> & { detail: Record<string, unknown> };
    const event = { ...fixture, ...envelope, detail: { ...fixture.detail, ...detail } };
    const summary = await handleDetectorEvent(event, deps);
    expect(summary).toEqual({ kind: 'cloudtrail', outcomes: { refused: 1 } });
    expect(started).toEqual([]);
    expect(apigateway).not.toHaveReceivedAnyCommand();
    expect(wafv2).not.toHaveReceivedAnyCommand();
    expect(counts).toEqual({ ForeignEvent: 1 });
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'foreign event refused',
        attributes: { eventId: expect.any(String), problem: expect.stringContaining('outside 111122223333/us-east-1') },
      },
    ]);
  });

  it('logs AccessDenied with context and rethrows it for Lambda to retry', async () => {
    const { deps, lines, counts } = wafDeps();
    apigateway
      .on(GetStageCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform: apigateway:GET'), { name: 'AccessDeniedException' }));
    await expect(handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), deps)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(counts).toEqual({ AccessDenied: 1 });
    expect(lines[0]?.attributes).toMatchObject({
      check: 'apigateway-stage-waf',
      resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
      error: 'AccessDeniedException',
    });
  });

  it('does nothing at all for a disabled check', async () => {
    const disabled = parsePolicy('version: 1\nchecks: { apigateway-stage-waf: { enabled: false } }\n', 'p.yaml', NOW).policy;
    const { deps, started } = wafDeps({ policy: disabled });
    await expect(handleDetectorEvent(eventFixture('cloudtrail-apigateway-create-stage'), deps)).resolves.toMatchObject({ outcomes: { disabled: 1 } });
    expect(apigateway).not.toHaveReceivedCommand(GetStageCommand);
    expect(started).toEqual([]);
  });

  it('sweeps every stage, carries on past a failing one, and fails at the end so Lambda retries', async () => {
    const { deps, started, counts } = wafDeps();
    apigateway.on(GetRestApisCommand).resolves({ items: [{ id: 'api1' }] });
    apigateway.on(GetStagesCommand).resolves({ item: [{ stageName: 'a' }, { stageName: 'b' }, { stageName: 'c' }] });
    // The sweep judges from GetStages and asks WAF about each stage that names no web ACL: one of those fails.
    wafv2
      .on(GetWebACLForResourceCommand, { ResourceArn: 'arn:aws:apigateway:us-east-1::/restapis/api1/stages/b' })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'WAFLimitsExceededException' }));
    await expect(handleDetectorEvent(eventFixture('scheduled-sweep'), deps)).rejects.toThrow('1 resources failed');
    expect(started.map((input) => input.finding.resourceArn).sort()).toEqual([
      'arn:aws:apigateway:us-east-1::/restapis/api1/stages/a',
      'arn:aws:apigateway:us-east-1::/restapis/api1/stages/c',
    ]);
    expect(counts).toMatchObject({ WorkflowStarted: 2, SweepResourceFailed: 1 });
    expect(apigateway).not.toHaveReceivedCommand(GetStageCommand);
  });

  it('keeps secret values out of logs, workflow input and plan (canary)', async () => {
    const capture = captureLog();
    const started: WorkflowStart[] = [];
    lambda.on(GetFunctionConfigurationCommand).resolves(apiFixture('lambda-get-function-configuration-secrets'));
    lambda.on(ListTagsCommand).resolves({ Tags: {} });
    const lambdaPolicy = parsePolicy('version: 1\nchecks: { lambda-function-env-secrets: { mode: report } }\n', 'p.yaml', NOW).policy;
    await handleDetectorEvent(eventFixture('cloudtrail-lambda-update-function-configuration'), {
      detector: lambdaFunctionEnvSecretsDetector,
      clients: { lambda: new LambdaClient({ region: 'us-east-1' }) },
      policy: lambdaPolicy,
      organizationalUnits: [],
      startWorkflow: (input) => {
        started.push(input);
        return Promise.resolve('started');
      },
      log: capture.log,
      metrics: capture.metrics,
      now: () => NOW,
      poll: NO_WAIT,
      scope: { account: '111122223333', region: 'us-east-1' },
    });
    expect(started).toHaveLength(1);
    expect(started[0]?.finding.evidence['flagged']).toHaveLength(2);
    expectNoCanary(started);
    expectNoCanary(started.map((start) => withPlan(start, {}).plan));
    expectNoCanary(capture.lines);
  });
});

describe('detectResource names the resource as the API reports it', () => {
  const dynamodb = mockClient(DynamoDBClient);
  const tableDeps = () => {
    const capture = captureLog();
    const started: WorkflowStart[] = [];
    const deps = {
      detector: dynamodbTableEncryptionDetector,
      clients: { dynamodb: new DynamoDBClient({ region: 'us-east-1' }), kms: new KMSClient({ region: 'us-east-1' }) },
      policy: parsePolicy('version: 1\nchecks: { dynamodb-table-encryption: { mode: auto } }\n', 'p.yaml', NOW).policy,
      organizationalUnits: [],
      startWorkflow: (input: WorkflowStart) => {
        started.push(input);
        return Promise.resolve('started' as const);
      },
      log: capture.log,
      metrics: capture.metrics,
      now: () => NOW,
      poll: NO_WAIT,
    };
    return { deps, started, ...capture };
  };
  const ref = {
    check: 'dynamodb-table-encryption' as const,
    account: '111122223333',
    region: 'us-east-1',
    resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
  };

  beforeEach(() => {
    dynamodb.reset();
    dynamodb.on(ListTagsOfResourceCommand).resolves({ Tags: [] });
  });

  it("uses the API's TableArn in the finding", async () => {
    dynamodb
      .on(DescribeTableCommand)
      .resolves({ Table: { TableName: 'orders', TableStatus: 'ACTIVE', TableArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders' } });
    const { deps, started } = tableDeps();
    await expect(
      detectResource({ ...ref, resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders' }, { kind: 'manual' }, deps),
    ).resolves.toMatchObject({ outcome: 'started' });
    expect(started[0]?.finding.resourceArn).toBe('arn:aws:dynamodb:us-east-1:111122223333:table/orders');
  });

  it('leaves a table still CREATING past the bounded wait to the sweep: counted and logged, not thrown into the dead-letter queue', async () => {
    dynamodb.on(DescribeTableCommand).resolves({ Table: { TableName: 'orders', TableStatus: 'CREATING', TableArn: ref.resourceArn } });
    const { deps, started, counts, lines } = tableDeps();
    await expect(detectResource(ref, { kind: 'cloudtrail', id: 'restore' }, deps)).resolves.toEqual({ outcome: 'deferred' });
    expect(started).toEqual([]);
    expect(counts).toEqual({ DeferredToSweep: 1 });
    expect(lines[0]).toMatchObject({ level: 'warn', message: 'still transitioning: left for the sweep' });
  });

  it('refuses a resource the API places in another account or region, logged and counted, nothing started', async () => {
    dynamodb
      .on(DescribeTableCommand)
      .resolves({ Table: { TableName: 'orders', TableStatus: 'ACTIVE', TableArn: 'arn:aws:dynamodb:eu-west-1:999988887777:table/orders' } });
    const { deps, started, counts, lines } = tableDeps();
    await expect(detectResource(ref, { kind: 'manual' }, deps)).resolves.toEqual({ outcome: 'refused' });
    expect(started).toEqual([]);
    expect(counts).toEqual({ ForeignResource: 1 });
    expect(lines[0]).toMatchObject({ level: 'error', message: 'resource outside the detector scope refused' });
  });
});
