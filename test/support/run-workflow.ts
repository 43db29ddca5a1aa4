import { CATALOGUE, type CheckId } from '../../core/catalogue';
import type { WorkflowStart } from '../../core/workflow-input';
import { TEST_PLAN } from './workflow-input';
import { AUDIT_DETAIL_TYPE } from '../../core/events/bus-contract';
import { buildWorkflowDefinition } from '../../statemachines/remediation-workflow';
import { runLocally } from '../../statemachines/run-locally';

export const RESOURCES = {
  partition: 'aws',
  eventBusArn: 'arn:aws:events:us-east-1:111122223333:event-bus/warden',
  counterTableName: 'warden-blast-radius',
  // One per check, from the registry: a new check needs no line here.
  remediatorFunctionArns: Object.fromEntries(
    CATALOGUE.map((check) => [check.id, `arn:aws:lambda:us-east-1:111122223333:function:warden-remediator-${check.id}`]),
  ) as Record<CheckId, string>,
} as const;

export const DEFINITION = buildWorkflowDefinition(RESOURCES);

export type TaskHandler = (input: Record<string, unknown>) => Promise<unknown>;

export function taskError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

interface Entry {
  DetailType: string;
  Detail: Record<string, unknown>;
}

/** Runs the real definition locally; every Task is stood in for, PutEvents tasks record what they send. */
export async function runWorkflow(input: WorkflowStart, handlers: Record<string, TaskHandler> = {}) {
  const records: Record<string, unknown>[] = [];
  const events: Entry[] = [];
  const calls: string[] = [];
  const states = DEFINITION['States'] as Record<string, { Type: string; Resource?: string }>;
  const overrides: Record<string, TaskHandler> = {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type !== 'Task') continue;
    overrides[name] = async (taskInput) => {
      calls.push(name);
      if (state.Resource?.startsWith('arn:aws:states:::events:putEvents')) {
        const entry = (taskInput['Entries'] as Entry[])[0] as Entry;
        if (entry.DetailType === AUDIT_DETAIL_TYPE) records.push(entry.Detail);
        else events.push(entry);
      }
      const handler = handlers[name];
      if (handler) return handler(taskInput);
      if (name === 'Request approval') return { actor: 'slack:U0123ABCD9', decision: 'APPROVED', decidedAt: '2026-11-20T10:05:00Z' };
      if (name === 'Open ticket') return { ticketKey: 'SEC-1', url: 'https://example.atlassian.net/browse/SEC-1' };
      if (name.startsWith('Plan ')) return { Payload: TEST_PLAN };
      if (name.startsWith('Apply ')) return { Payload: { tableName: 'orders', previous: { kind: 'AWS_OWNED' } } };
      if (name.startsWith('Verify ')) return { Payload: { status: 'COMPLIANT', reason: 'fixed', evidence: { fixed: true } } };
      return { Entries: [{ EventId: 'e' }], FailedEntryCount: 0 };
    };
  }
  const run = await runLocally(DEFINITION, input, overrides, {
    executionArn: `arn:aws:states:us-east-1:111122223333:execution:warden:${input.finding.findingId}`,
    now: new Date('2026-11-20T10:00:06.000Z'),
    taskToken: 'TASK-TOKEN-CANARY-0123456789',
    skipRetryWaits: true,
    skipWaits: true,
  });
  const { status, error } = run;
  return { status, error, records, events, calls, states: records.map((record) => record['state'] as string) };
}
