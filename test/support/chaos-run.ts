import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from '../../core/aws/document-client';
import { AppliedFixes } from '../../remediators/applied-fixes';
import { createAuditTable } from '../../cli/local-dynamodb';
import { AuditStore } from '../../core/audit/audit-store';
import { recordFromEvent } from '../../core/audit/audit-writer';
import { stageArn } from '../../core/aws/arns';
import { createAwsClients } from '../../core/aws/clients';
import type { Finding } from '../../core/finding';
import { NO_COUNTERS, SILENT_LOG } from '../../core/observability';
import { parsePolicy } from '../../core/policy/parse-policy';
import type { WorkflowStart } from '../../core/workflow-input';
import { apigatewayStageThrottlingDetector as detector } from '../../detectors/apigateway-stage-throttling';
import { detectResource } from '../../detectors/detect';
import { apigatewayStageThrottlingRemediator as remediator } from '../../remediators/apigateway-stage-throttling';
import { AUDIT_DETAIL_TYPE, TERMINAL_STATES } from '../../core/events/bus-contract';
import { buildWorkflowDefinition } from '../../statemachines/remediation-workflow';
import { localTaskHandlers } from '../../statemachines/local-task-handlers';
import { runLocally } from '../../statemachines/run-locally';
import { emulatorEnvironment, MOTO_ACCOUNT, type Moto } from '../../examples/emulator/moto';
import { startFaultProxy } from './fault-proxy';

/*
 * Chaos, end to end: the throttling check's detector, the real workflow definition (run locally), the
 * remediator and the audit trail, for many findings, with a share of every AWS call failing: at the
 * HTTP level between the SDK and the emulator (throttling, 5xx, requests that never answer, dropped
 * connections), and at the workflow's service integrations (EventBridge, DynamoDB, Lambda errors that
 * Step Functions reports), some of them after the work was done.
 */

const REGION = 'eu-west-1';
const NOW = new Date('2026-11-20T10:00:00Z');

export interface ChaosReport {
  readonly findings: number;
  readonly awsCalls: number;
  readonly httpFaults: Record<string, number>;
  readonly workflowFaults: number;
  readonly terminal: Record<string, number>;
  /** Findings with other than exactly one terminal audit record. */
  readonly withoutOneTerminal: readonly string[];
  /** Stages that received more than one change. */
  readonly changedTwice: readonly string[];
  /** Stages still noncompliant at the end. */
  readonly stillNoncompliant: readonly string[];
  /** Workflows that did not succeed. */
  readonly failedRuns: readonly string[];
  /** REMEDIATED records without the undo they must carry. */
  readonly remediatedWithoutUndo: readonly string[];
}

/** `concurrency` workers, each like one Lambda container: it handles one item at a time with its own clients. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, worker: number) => Promise<void>): Promise<void> {
  let index = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (index < items.length) await work(items[index++]!, worker);
    }),
  );
}

/** `count` REST API stages without throttling, in APIs of ten stages. */
async function provisionStages(apigateway: APIGatewayClient, count: number): Promise<{ restApiId: string; stageName: string }[]> {
  const stages: { restApiId: string; stageName: string }[] = [];
  for (let api = 0; stages.length < count; api += 1) {
    const { id: restApiId = '' } = await apigateway.send(new CreateRestApiCommand({ name: `chaos-${api}` }));
    const { items = [] } = await apigateway.send(new GetResourcesCommand({ restApiId }));
    const resourceId = items[0]?.id ?? '';
    await apigateway.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigateway.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK' }));
    for (let stage = 0; stage < 10 && stages.length < count; stage += 1) {
      await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: `s${stage}` }));
      stages.push({ restApiId, stageName: `s${stage}` });
    }
  }
  return stages;
}

export async function runChaos(moto: Moto, options: { findings: number; rate: number; seed: number; concurrency?: number }): Promise<ChaosReport> {
  // Client request timeout 2 s, an injected timeout holds 3 s: on a loaded 2-core machine the emulator's own
  // answers can take over a second, and those must not count as injected faults.
  const proxy = await startFaultProxy({ target: moto.endpoint, rate: options.rate, seed: options.seed, holdMs: 3_000 });
  try {
    const direct = {
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'emulator-secret-key' },
    };
    const apigatewayDirect = new APIGatewayClient(direct);
    const dynamodbDirect = new DynamoDBClient(direct);
    const stages = await provisionStages(apigatewayDirect, options.findings);
    await dynamodbDirect.send(
      new CreateTableCommand({
        TableName: 'counters',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    await createAuditTable(dynamodbDirect, 'audit');
    const audit = new AuditStore(new DocumentClient(dynamodbDirect), 'audit');

    // Warden's own client factory, pointed at the faulty endpoint. Standard retries: the injected throttling
    // is random, not a rate, so adaptive mode's rate limiter (measured by the sweep bench against an API
    // that limits a rate) would only slow this run down without changing what it proves.
    Object.assign(process.env, emulatorEnvironment(moto, REGION), { AWS_ENDPOINT_URL: proxy.endpoint });
    const concurrency = options.concurrency ?? 16;
    const containers = Array.from({ length: concurrency }, () =>
      createAwsClients({ region: REGION, requestTimeoutMs: 2_000, retryMode: 'standard' }),
    );
    const policy = parsePolicy(
      'version: 1\ndefaults: { maxAutoFixesPerHour: 10000 }\nchecks: { apigateway-stage-throttling: { mode: auto } }\n',
      'chaos.yaml',
      NOW,
    ).policy;
    const definition = buildWorkflowDefinition({
      partition: 'aws',
      eventBusArn: `arn:aws:events:${REGION}:${MOTO_ACCOUNT}:event-bus/warden`,
      counterTableName: 'counters',
      remediatorFunctionArns: Object.fromEntries(
        ['dynamodb-table-encryption', 'apigateway-stage-throttling', 'apigateway-stage-waf', 'lambda-function-env-secrets'].map((id) => [
          id,
          `arn:aws:lambda:${REGION}:${MOTO_ACCOUNT}:function:warden-remediator-${id}`,
        ]),
      ) as never,
    });

    // Failures Step Functions reports for its service integrations, from a seeded sequence of its own.
    let state = options.seed ^ 0x5bd1e995;
    const roll = () => (state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
    let workflowFaults = 0;
    const failBefore = (errors: readonly string[]) => {
      if (roll() >= options.rate) return;
      workflowFaults += 1;
      const name = errors[Math.floor(roll() * errors.length)]!;
      throw Object.assign(new Error(`${name} (injected)`), { name });
    };

    const handlers = (clients: (typeof containers)[number]) =>
      localTaskHandlers(definition, {
        async putEvent(event) {
          failBefore(['EventBridge.ThrottlingException', 'EventBridge.InternalException']);
          if (event.detailType !== AUDIT_DETAIL_TYPE) return;
          const envelope = {
            version: '0',
            id: 'chaos',
            'detail-type': event.detailType,
            source: event.source,
            account: MOTO_ACCOUNT,
            region: REGION,
            time: NOW.toISOString(),
            resources: [],
            detail: event.detail,
          };
          await audit.append(recordFromEvent(envelope, NOW));
        },
        async updateItem(parameters) {
          failBefore(['DynamoDB.ThrottlingException', 'DynamoDB.InternalServerErrorException']);
          return dynamodbDirect.send(new UpdateItemCommand(parameters as unknown as UpdateItemCommandInput));
        },
        async invoke(parameters) {
          failBefore(['Lambda.TooManyRequestsException', 'Lambda.ServiceException']);
          const payload = parameters as {
            action: 'plan' | 'apply' | 'verify';
            finding: Finding;
            settings: { rateLimit: number; burstLimit: number };
            execution: string;
          };
          if (payload.action === 'plan') return remediator.plan(payload.finding, payload.settings, {});
          const result =
            payload.action === 'apply'
              ? await remediator.apply(payload.finding, payload.settings, clients, {
                  execution: payload.execution,
                  appliedFixes: new AppliedFixes(new DocumentClient(clients.dynamodb), 'counters', () => NOW),
                })
              : await remediator.verify(payload.finding, payload.settings, clients, { attempts: 3, delayMs: 0 });
          // The function did its work, then its invocation failed (the runtime died, the response was lost).
          if (payload.action === 'apply' && roll() < options.rate / 4) {
            workflowFaults += 1;
            throw Object.assign(new Error('Lambda.ServiceException (injected after the work)'), { name: 'Lambda.ServiceException' });
          }
          return result;
        },
      });

    const failedRuns: string[] = [];
    const findingIds: string[] = [];
    await pool(stages, concurrency, async ({ restApiId, stageName }, worker) => {
      const clients = containers[worker]!;
      const arn = stageArn(REGION, restApiId, stageName);
      let started: WorkflowStart | undefined;
      // A detector invocation whose SDK retries are spent fails, and Lambda's asynchronous invocation
      // retries it, twice at most: so does this run, before it counts the detection as failed.
      for (let attempt = 0; ; attempt += 1) {
        try {
          await detectResource(
            { check: 'apigateway-stage-throttling', account: MOTO_ACCOUNT, region: REGION, resourceArn: arn },
            { kind: 'cloudtrail', id: `chaos-${restApiId}-${stageName}` },
            {
              detector,
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
            },
          );
          break;
        } catch (error) {
          if (attempt < 2) continue;
          failedRuns.push(`${arn}: detection failed: ${(error as Error).name}`);
          return;
        }
      }
      if (!started) return void failedRuns.push(`${arn}: no finding`);
      findingIds.push(started.finding.findingId);
      const run = await runLocally(definition, started, handlers(clients), {
        executionArn: `arn:aws:states:${REGION}:${MOTO_ACCOUNT}:execution:warden-remediation:${started.finding.findingId}-1`,
        now: NOW,
        skipRetryWaits: true,
      });
      if (run.status !== 'SUCCEEDED') failedRuns.push(`${arn}: ${run.status} ${JSON.stringify(run.error)}`);
    });

    proxy.setEnabled(false);
    const terminal: Record<string, number> = {};
    const withoutOneTerminal: string[] = [];
    const remediatedWithoutUndo: string[] = [];
    for (const findingId of findingIds) {
      const history = await audit.findingHistory(findingId);
      const terminals = history.filter((record) => (TERMINAL_STATES as readonly string[]).includes(record.state));
      for (const record of terminals) terminal[record.state] = (terminal[record.state] ?? 0) + 1;
      if (terminals.length !== 1) withoutOneTerminal.push(`${findingId}: ${history.map((record) => record.state).join(',')}`);
      const failed = terminals.find((record) => record.state === 'FAILED');
      if (failed) failedRuns.push(`${findingId}: FAILED because ${JSON.stringify(failed.details['error'] ?? failed.details)}`);
      const remediated = terminals.find((record) => record.state === 'REMEDIATED');
      const undo = remediated?.details['undo'] as { changed?: boolean; undo?: unknown } | undefined;
      if (remediated && !undo?.undo) remediatedWithoutUndo.push(findingId);
    }
    // One change is one SDK call: a retry of a call whose first attempt timed out after AWS acted carries
    // the same invocation id, and repeats the same patch. Two calls are two changes.
    const changes = new Map<string, Set<string>>();
    for (const request of proxy.forwarded) {
      if (request.method !== 'PATCH' || request.status >= 300) continue;
      changes.set(request.path, (changes.get(request.path) ?? new Set()).add(request.invocationId));
    }
    const changedTwice = [...changes.entries()].filter(([, calls]) => calls.size > 1).map(([path, calls]) => `${path} x${calls.size}`);
    const stillNoncompliant: string[] = [];
    for (const { restApiId, stageName } of stages) {
      const stage = await apigatewayDirect.send(new GetStageCommand({ restApiId, stageName }));
      if (stage.methodSettings?.['*/*']?.throttlingRateLimit === undefined) stillNoncompliant.push(`${restApiId}/${stageName}`);
    }
    return {
      findings: findingIds.length,
      awsCalls: proxy.total,
      httpFaults: { ...proxy.faults },
      workflowFaults,
      terminal,
      withoutOneTerminal,
      changedTwice,
      stillNoncompliant,
      failedRuns,
      remediatedWithoutUndo,
    };
  } finally {
    await proxy.close();
  }
}
