import { CATALOGUE, type CheckId, type Mode } from '../core/catalogue';
import type { WorkflowStart } from '../core/workflow-input';
import { AUDIT_DETAIL_TYPE } from '../core/events/bus-contract';
import { buildWorkflowDefinition } from '../statemachines/remediation-workflow';
import { SWEEP_STEP_KEY } from '../detectors/sweep-step';
import { localTaskHandlers } from '../statemachines/local-task-handlers';
import { runLocally } from '../statemachines/run-locally';
import { buildSweepDefinition } from '../statemachines/sweep-workflow';

export interface PathCounts {
  /** States entered: what Step Functions Standard bills as state transitions. */
  readonly transitions: number;
  /** Remediator Lambda invocations (plan, apply, verify). */
  readonly remediatorInvocations: number;
  /** Audit records: one hub audit-writer invocation and one DynamoDB write each. */
  readonly auditRecords: number;
  /** Events put on a bus (audit records, approval and ticket requests). */
  readonly events: number;
  /** DynamoDB writes by the workflow itself (blast-radius counter). */
  readonly counterWrites: number;
}

const ARN = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;
const DEFINITION = buildWorkflowDefinition({
  partition: 'aws',
  eventBusArn: 'arn:aws:events:us-east-1:111122223333:event-bus/warden',
  counterTableName: 'counter',
  remediatorFunctionArns: Object.fromEntries(CATALOGUE.map((check) => [check.id, ARN(`warden-remediator-${check.id}`)])) as Record<CheckId, string>,
});

/** A check whose fix may stop after a first phase (the two-phase secret migration). */
const STAGED_CHECK = CATALOGUE.find((check) => 'staged' in check && check.staged === true)?.id ?? CATALOGUE[0].id;
const FIRST_PHASE = {
  changed: true,
  undo: {},
  staged: { startedAt: '2026-11-20T10:00:00Z', confirmWithinSeconds: 60, watchSeconds: 60, ownerSteps: [] },
};

/** As a detector starts it: without a plan, so the workflow's Plan state runs (one more invocation). */
function input(mode: Mode, check: CheckId = CATALOGUE[0].id): WorkflowStart {
  return {
    finding: {
      check,
      account: '111122223333',
      region: 'us-east-1',
      resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/t',
      findingId: 'f'.repeat(40),
      reason: 'r',
      evidence: {},
      tags: {},
      detectedAt: '2026-11-20T10:00:00Z',
      trigger: { kind: 'cloudtrail' },
    },
    decision: {
      mode,
      dryRun: false,
      exempt: false,
      approvalTimeoutSeconds: 3600,
      maxAutoFixesPerHour: 10,
      decidedBy: 'defaults',
      expiredExemptions: [],
      settings: {},
      budget: { window: '2026-11-20T10', expiresAt: 0 },
    },
  };
}

/**
 * Counts per finding for each path, from a local execution of the real definition. `two-phase`: an
 * automatic staged fix whose owner confirms and whose health holds at both checks.
 */
export async function benchWorkflow(): Promise<Record<Mode | 'two-phase', PathCounts>> {
  const result = {} as Record<Mode | 'two-phase', PathCounts>;
  for (const path of ['auto', 'approval', 'ticket', 'report', 'two-phase'] as const) {
    const mode = path === 'two-phase' ? 'auto' : path;
    const counts = { transitions: 0, remediatorInvocations: 0, auditRecords: 0, events: 0, counterWrites: 0 };
    const states = DEFINITION['States'] as Record<string, { Type: string; Resource?: string }>;
    const handlers: Record<string, (task: Record<string, unknown>) => Promise<unknown>> = {};
    for (const [name, state] of Object.entries(states)) {
      if (state.Type !== 'Task') continue;
      handlers[name] = (task) => {
        if (state.Resource?.includes('events:putEvents')) {
          counts.events += 1;
          const entry = (task['Entries'] as { DetailType: string }[])[0];
          if (entry?.DetailType === AUDIT_DETAIL_TYPE) counts.auditRecords += 1;
        }
        if (state.Resource?.includes('dynamodb:updateItem')) counts.counterWrites += 1;
        if (state.Resource?.includes('lambda:invoke')) counts.remediatorInvocations += 1;
        if (name === 'Request approval' || name.startsWith('Await owner ')) return Promise.resolve({ actor: 'slack:U1', decision: 'APPROVED' });
        if (path === 'two-phase' && name.startsWith('Apply ')) return Promise.resolve({ Payload: FIRST_PHASE });
        if (name.startsWith('Complete '))
          return Promise.resolve({ Payload: { ...FIRST_PHASE, staged: { ...FIRST_PHASE.staged, completedAt: 'x' } } });
        if (name.startsWith('Check health ')) return Promise.resolve({ Payload: { healthy: true } });
        if (name === 'Open ticket') return Promise.resolve({ ticketKey: 'SEC-1' });
        // A plan with one call: a plan with none is a ticket, whatever the mode (nothing to apply).
        return Promise.resolve({ Payload: { evidence: {}, calls: [{ client: 'DynamoDB', operation: 'UpdateTable', input: {} }], notes: [] } });
      };
    }
    const run = await runLocally(DEFINITION, input(mode, path === 'two-phase' ? STAGED_CHECK : CATALOGUE[0].id), handlers, {
      executionArn: 'arn:aws:states:us-east-1:111122223333:execution:warden:f',
      now: new Date(),
      taskToken: 't',
      skipWaits: true,
    });
    if (run.status !== 'SUCCEEDED') throw new Error(`the ${path} path failed: ${run.error ?? ''}`);
    counts.transitions = run.transitions;
    result[path] = counts;
  }
  return result;
}

/**
 * State transitions of one daily sweep of a small account (every check's list fits one step), from a
 * local execution of the real sweep definition: what Step Functions Standard bills for the sweep.
 */
export async function benchSweepTransitions(): Promise<number> {
  const definition = buildSweepDefinition({
    partition: 'aws',
    eventBusArn: 'arn:aws:events:us-east-1:111122223333:event-bus/warden-member',
    detectorFunctionArns: Object.fromEntries(CATALOGUE.map((check) => [check.id, ARN(`warden-detector-${check.id}`)])) as Record<CheckId, string>,
  });
  const handlers = localTaskHandlers(definition, {
    putEvent: () => Promise.resolve(),
    invoke: (payload) => Promise.resolve({ ...(payload[SWEEP_STEP_KEY] as object), cursor: null, outcomes: { compliant: 1 }, done: true }),
  });
  const run = await runLocally(definition, {}, handlers, {
    executionArn: 'arn:aws:states:us-east-1:111122223333:execution:warden-sweep:d',
    now: new Date(),
  });
  if (run.status !== 'SUCCEEDED') throw new Error(`the sweep failed: ${run.error ?? ''}`);
  return run.transitions;
}
