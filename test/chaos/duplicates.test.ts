import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { stageArn } from '../../core/aws/arns';
import { createAwsClients } from '../../core/aws/clients';
import { NO_COUNTERS, SILENT_LOG } from '../../core/observability';
import { parsePolicy } from '../../core/policy/parse-policy';
import { apigatewayStageThrottlingDetector as detector } from '../../detectors/apigateway-stage-throttling';
import type { ResourceOutcome } from '../../detectors/detect';
import { handleDetectorEvent } from '../../detectors/handle-event';
import { FindingEpisodes } from '../../detectors/finding-episodes';
import { workflowStarter } from '../../detectors/start-workflow';
import { apigatewayStageThrottlingRemediator as remediator } from '../../remediators/apigateway-stage-throttling';
import { emulatorEnvironment, MOTO_ACCOUNT, type Moto, startMoto } from '../../examples/emulator/moto';
import { describeWithEmulator } from '../support/describe-with-emulator';
import { eventFixture } from '../support/events';
import { startFaultProxy } from '../support/fault-proxy';

/*
 * Duplicate events, through the real detector and the real workflow starter, against the emulator's
 * Step Functions and DynamoDB (finding episodes), with 20% of AWS calls failing.
 */

const REGION = 'eu-west-1';
const NOW = new Date('2026-11-20T10:00:00Z');

describeWithEmulator('duplicate event storms', () => {
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  let sfnDirect: SFNClient;
  let stateMachineArn: string;
  let restApiId: string;

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy({ target: moto.endpoint, rate: 0.2, seed: 7, holdMs: 1_500 });
    Object.assign(process.env, emulatorEnvironment(moto, REGION), { AWS_ENDPOINT_URL: proxy.endpoint });
    const direct = { region: REGION, endpoint: moto.endpoint };
    const apigateway = new APIGatewayClient(direct);
    ({ id: restApiId = '' } = await apigateway.send(new CreateRestApiCommand({ name: 'storm' })));
    const { items = [] } = await apigateway.send(new GetResourcesCommand({ restApiId }));
    await apigateway.send(new PutMethodCommand({ restApiId, resourceId: items[0]?.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigateway.send(new PutIntegrationCommand({ restApiId, resourceId: items[0]?.id, httpMethod: 'GET', type: 'MOCK' }));
    for (const stageName of ['storm', 'during', 'lost']) await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName }));
    await new DynamoDBClient(direct).send(
      new CreateTableCommand({
        TableName: 'counters',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    sfnDirect = new SFNClient(direct);
    ({ stateMachineArn = '' } = await sfnDirect.send(
      new CreateStateMachineCommand({
        name: 'warden-remediation',
        roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/warden-workflow`,
        definition: JSON.stringify({ StartAt: 'Wait', States: { Wait: { Type: 'Pass', End: true } } }),
      }),
    ));
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  // One Lambda container per concurrent invocation: its own clients, as Lambda would have.
  const container = () => {
    const clients = createAwsClients({ region: REGION, requestTimeoutMs: 1_000, retryMode: 'standard' });
    const sfn = new SFNClient({ region: REGION, requestHandler: { requestTimeout: 1_000, throwOnRequestTimeout: true }, maxAttempts: 6 });
    const dynamodb = new DynamoDBClient({ region: REGION, requestHandler: { requestTimeout: 1_000, throwOnRequestTimeout: true }, maxAttempts: 6 });
    const policy = parsePolicy(
      'version: 1\ndefaults: { maxAutoFixesPerHour: 100 }\nchecks: { apigateway-stage-throttling: { mode: auto } }\n',
      'storm.yaml',
      NOW,
    ).policy;
    return {
      clients,
      deps: {
        detector,
        clients,
        policy,
        organizationalUnits: [],
        startWorkflow: workflowStarter(sfn, stateMachineArn, new FindingEpisodes(dynamodb, 'counters'), () => NOW),
        log: SILENT_LOG,
        metrics: NO_COUNTERS,
        now: () => NOW,
        scope: { account: MOTO_ACCOUNT, region: REGION },
      },
    };
  };

  const eventFor = (stageName: string, index: number) => {
    const event = eventFixture('cloudtrail-apigateway-update-stage-by-pipeline') as Record<string, unknown> & { detail: Record<string, unknown> };
    return {
      ...event,
      id: `storm-${stageName}-${index}`,
      account: MOTO_ACCOUNT,
      region: REGION,
      detail: { ...event.detail, awsRegion: REGION, recipientAccountId: MOTO_ACCOUNT, requestParameters: { restApiId, stageName } },
    };
  };

  // Lambda runs the detector in up to ten containers at once; each takes events one at a time. An
  // invocation that fails (the SDK's retries spent, as on a loaded machine where the emulator's own
  // answers time out too) is retried by Lambda's asynchronous invocation, twice at most.
  let containers: ReturnType<typeof container>[] = [];
  beforeAll(() => {
    containers = Array.from({ length: 10 }, container);
  });
  const ASYNC_RETRIES = 2;
  async function deliver(stageName: string, count: number): Promise<ResourceOutcome[]> {
    const queue = Array.from({ length: count }, (_, index) => ({ event: eventFor(stageName, index), attempt: 0 }));
    const summaries: Awaited<ReturnType<typeof handleDetectorEvent>>[] = [];
    await Promise.all(
      containers.map(async ({ deps }) => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          try {
            summaries.push(await handleDetectorEvent(next.event, deps));
          } catch (error) {
            if (next.attempt >= ASYNC_RETRIES) throw error;
            queue.push({ event: next.event, attempt: next.attempt + 1 });
          }
        }
      }),
    );
    return summaries.flatMap((summary) =>
      Object.entries(summary.outcomes ?? {}).flatMap(([outcome, times]) => Array<ResourceOutcome>(Number(times)).fill(outcome as ResourceOutcome)),
    );
  }

  const executions = async () => {
    const { executions: listed = [] } = await sfnDirect.send(new ListExecutionsCommand({ stateMachineArn }));
    return new Set(listed.map((execution) => execution.name));
  };

  it('50 identical events start exactly one execution', async () => {
    const before = (await executions()).size;
    const outcomes = await deliver('storm', 50);
    const after = await executions();
    expect(after.size - before).toBe(1);
    expect(outcomes.filter((outcome) => outcome === 'started')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(49);
    process.stdout.write(`\nstorm: 50 events, 1 execution, ${proxy.total} AWS calls, faults ${JSON.stringify(proxy.faults)}\n`);
  });

  it('50 more events for the same resource while it is being fixed start nothing, and none after the fix', async () => {
    const first = await deliver('during', 1);
    expect(first).toEqual(['started']);
    const running = (await executions()).size;
    // The workflow is running (the emulator holds it): the same violation arrives 50 more times.
    const during = await deliver('during', 50);
    expect(during.every((outcome) => outcome === 'duplicate')).toBe(true);
    // The fix lands; events about it keep coming.
    const arn = stageArn(REGION, restApiId, 'during');
    const { clients } = containers[0]!;
    const finding = {
      check: 'apigateway-stage-throttling' as const,
      account: MOTO_ACCOUNT,
      region: REGION,
      resourceArn: arn,
      findingId: 'x',
      reason: '',
      evidence: {},
      tags: {},
      detectedAt: NOW.toISOString(),
      trigger: { kind: 'manual' as const },
    };
    const applied = await remediator.apply(finding, { rateLimit: 100, burstLimit: 200 }, clients, {});
    expect(applied.changed).toBe(true);
    const after = await deliver('during', 50);
    expect(after.every((outcome) => outcome === 'compliant')).toBe(true);
    expect((await executions()).size).toBe(running);
    const patches = new Set(
      proxy.forwarded
        .filter((request) => request.method === 'PATCH' && request.path.endsWith('/stages/during') && request.status < 300)
        .map((request) => request.invocationId),
    );
    expect(patches.size).toBe(1);
  });

  it('an episode whose UpdateItem response was lost (AWS committed it) still starts its execution', async () => {
    const before = (await executions()).size;
    proxy.dropResponseOnce('DynamoDB_20120810.UpdateItem');
    const outcomes = await deliver('lost', 1);
    expect(outcomes).toEqual(['started']);
    expect((await executions()).size).toBe(before + 1);
  });
});
