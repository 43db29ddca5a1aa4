import { createCountersTable } from '../../support/counters-table';
import { CATALOGUE, type CheckId } from '../../../core/catalogue';
import { APIGatewayClient, GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { GetItemCommand, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createAuditTable, type LocalDynamoDb, startLocalDynamoDb } from '../../../cli/local-dynamodb';
import { AuditStore } from '../../../core/audit/audit-store';
import { recordFromEvent } from '../../../core/audit/audit-writer';
import { verifyChain } from '../../../core/audit/verify-chain';
import { SILENT_LOG, NO_COUNTERS } from '../../../core/observability';
import { parsePolicy } from '../../../core/policy/parse-policy';
import type { WorkflowStart } from '../../../core/workflow-input';
import { apigatewayStageThrottlingDetector } from '../../../detectors/apigateway-stage-throttling';
import { detectResource } from '../../../detectors/detect';
import { apigatewayStageThrottlingRemediator as remediator } from '../../../remediators/apigateway-stage-throttling';
import type { Finding } from '../../../core/finding';
import { AUDIT_DETAIL_TYPE } from '../../../core/events/bus-contract';
import { buildWorkflowDefinition } from '../../../statemachines/remediation-workflow';
import { type LocalTaskHandler, runLocally } from '../../../statemachines/run-locally';
import { apiFixture } from '../../support/fixtures';
import { NO_WAIT } from '../../support/findings';

/**
 * Detector → workflow → remediator → audit trail, in auto mode, with nothing stood in for but the AWS
 * APIs: API Gateway is mocked, DynamoDB (audit trail, blast-radius counter) is dynalite, the workflow
 * is the real definition.
 */
const apigateway = mockClient(APIGatewayClient);
const clients = { apigateway: new APIGatewayClient({ region: 'us-east-1' }) };
const ARN = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev';
const NOW = new Date('2026-11-20T10:00:00Z');
let local: LocalDynamoDb;
let audit: AuditStore;

beforeAll(async () => {
  local = await startLocalDynamoDb();
  await createAuditTable(local.client, 'audit');
  await createCountersTable(local.client, 'counters');
  audit = new AuditStore(local.document, 'audit');
});
afterAll(() => local.stop());

async function detect(maxAutoFixesPerHour: number): Promise<WorkflowStart> {
  const policy = parsePolicy(
    `version: 1\ndefaults: { maxAutoFixesPerHour: ${maxAutoFixesPerHour} }\nchecks: { apigateway-stage-throttling: { mode: auto } }\n`,
    'p.yaml',
    NOW,
  ).policy;
  let started: WorkflowStart | undefined;
  await detectResource(
    { check: 'apigateway-stage-throttling', account: '111122223333', region: 'us-east-1', resourceArn: ARN },
    { kind: 'cloudtrail', id: 'e1' },
    {
      detector: apigatewayStageThrottlingDetector,
      clients,
      policy,
      organizationalUnits: [],
      startWorkflow: (input) => {
        started = input;
        return Promise.resolve('started');
      },
      log: SILENT_LOG,
      metrics: NO_COUNTERS,
      now: () => NOW,
      poll: NO_WAIT,
    },
  );
  if (!started) throw new Error('expected a finding');
  return started;
}

const REMEDIATOR = 'arn:aws:lambda:us-east-1:111122223333:function:warden-remediator';
const DEFINITION = buildWorkflowDefinition({
  partition: 'aws',
  eventBusArn: 'arn:aws:events:us-east-1:111122223333:event-bus/warden',
  counterTableName: 'counters',
  remediatorFunctionArns: Object.fromEntries(CATALOGUE.map((check) => [check.id, REMEDIATOR])) as Record<CheckId, string>,
});

/** Every Task answered by the real thing: the audit writer, DynamoDB, the remediator; approval says yes. */
function handlers(approvals: Record<string, unknown>[] = []): Record<string, LocalTaskHandler> {
  const states = DEFINITION['States'] as Record<string, { Type: string; Resource?: string }>;
  const result: Record<string, LocalTaskHandler> = {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type !== 'Task') continue;
    result[name] = async (parameters) => {
      if (name === 'Request approval') {
        approvals.push((parameters['Entries'] as { Detail: Record<string, unknown> }[])[0]!.Detail);
        return { actor: 'slack:U0123ABCD9', decision: 'APPROVED' };
      }
      if (state.Resource?.startsWith('arn:aws:states:::events:putEvents')) {
        const entry = (parameters['Entries'] as { DetailType: string; Source: string; Detail: Record<string, unknown> }[])[0];
        if (entry?.DetailType === AUDIT_DETAIL_TYPE) {
          const envelope = {
            version: '0',
            id: 'x',
            'detail-type': entry.DetailType,
            source: entry.Source,
            account: '111122223333',
            region: 'us-east-1',
            time: NOW.toISOString(),
            resources: [],
            detail: entry.Detail,
          };
          await audit.append(recordFromEvent(envelope, NOW));
        }
        return { Entries: [{ EventId: 'e' }], FailedEntryCount: 0 };
      }
      if (state.Resource === 'arn:aws:states:::dynamodb:updateItem') {
        try {
          const output: unknown = await local.client.send(new UpdateItemCommand(parameters as unknown as UpdateItemCommandInput));
          return output;
        } catch (error) {
          // Step Functions names service errors <Service>.<Exception>.
          throw Object.assign(new Error((error as Error).message), { name: `DynamoDB.${(error as Error).name}` });
        }
      }
      const payload = parameters['Payload'] as {
        action: 'plan' | 'apply' | 'verify';
        finding: Finding;
        settings: { rateLimit: number; burstLimit: number };
      };
      if (payload.action === 'plan') return { Payload: remediator.plan(payload.finding, payload.settings, {}) };
      if (payload.action === 'apply') return { Payload: await remediator.apply(payload.finding, payload.settings, clients, {}) };
      return { Payload: await remediator.verify(payload.finding, payload.settings, clients, NO_WAIT) };
    };
  }
  return result;
}

describe('end to end, auto mode', () => {
  beforeEach(() => {
    apigateway.reset();
    // Noncompliant until UpdateStage, compliant after.
    let fixed = false;
    apigateway
      .on(GetStageCommand)
      .callsFake(() => apiFixture<Record<string, unknown>>(fixed ? 'apigateway-get-stage-compliant' : 'apigateway-get-stage-no-method-settings'));
    apigateway.on(UpdateStageCommand).callsFake(() => {
      fixed = true;
      return {};
    });
  });

  it('detects, counts the fix against the budget, fixes, verifies and records a verifiable trail with the undo', async () => {
    const input = await detect(5);
    const run = await runLocally(DEFINITION, input, handlers(), {
      executionArn: 'arn:aws:states:us-east-1:111122223333:execution:warden:e2e-1',
      now: NOW,
      skipRetryWaits: true,
    });
    expect([run.status, run.error]).toEqual(['SUCCEEDED', undefined]);
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, {
      restApiId: 'a1b2c3d4e5',
      stageName: 'dev',
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '100' },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '200' },
      ],
    });
    const history = await audit.findingHistory(input.finding.findingId);
    expect(history.map((record) => record.state)).toEqual(['DETECTED', 'REMEDIATED']);
    expect(history[1]?.details['undo']).toEqual({
      changed: true,
      undo: {
        restApiId: 'a1b2c3d4e5',
        stageName: 'dev',
        previousRateLimit: null,
        previousBurstLimit: null,
        set: { rateLimit: 100, burstLimit: 200 },
      },
    });
    expect(verifyChain(history, await audit.latest(input.finding.findingId))).toEqual([]);
    const { Item } = await local.client.send(
      new GetItemCommand({ TableName: 'counters', Key: { pk: { S: `111122223333#apigateway-stage-throttling#2026-11-20T10` } } }),
    );
    expect(Item?.['fixes']).toEqual({ N: '1' });
  });

  it('past the hourly budget, asks for approval instead and says why, showing the plan the remediator made', async () => {
    const input = await detect(1);
    expect(input.plan).toBeUndefined();
    const approvals: Record<string, unknown>[] = [];
    const run = await runLocally(DEFINITION, input, handlers(approvals), {
      executionArn: 'arn:aws:states:us-east-1:111122223333:execution:warden:e2e-2',
      now: NOW,
      taskToken: 'token',
      skipRetryWaits: true,
    });
    expect([run.status, run.error]).toEqual(['SUCCEEDED', undefined]);
    const history = await audit.findingHistory(input.finding.findingId);
    expect(history.slice(-2).map((record) => record.state)).toEqual(['DEGRADED_TO_APPROVAL', 'REMEDIATED']);
    expect(approvals.map((detail) => detail['plan'])).toEqual([remediator.plan(input.finding, input.decision.settings as never, {})]);
    expect(history.at(-1)?.actor).toBe('slack:U0123ABCD9');
  });
});
