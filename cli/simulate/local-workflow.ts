import type { AuditStore } from '../../core/audit/audit-store';
import { recordFromEvent } from '../../core/audit/audit-writer';
import type { WorkflowInput } from '../../core/workflow-input';
import { AUDIT_DETAIL_TYPE, TERMINAL_STATES, type TerminalState } from '../../statemachines/audit-states';
import { buildWorkflowDefinition, type WorkflowResources } from '../../statemachines/remediation-workflow';
import { runLocally } from '../../statemachines/run-locally';

interface Entry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: Record<string, unknown>;
}

/**
 * Runs the real workflow definition locally in dry run: PutEvents tasks append to a local audit trail
 * (through the same writer code as the hub), and nothing else is called. Returns the terminal state.
 */
export async function runDryRun(
  input: WorkflowInput,
  context: { store: AuditStore; account: string; region: string; resources: WorkflowResources; now: Date },
): Promise<TerminalState> {
  const dryInput: WorkflowInput = { ...input, decision: { ...input.decision, dryRun: true } };
  const definition = buildWorkflowDefinition(context.resources);
  const states = definition['States'] as Record<string, { Type: string; Resource?: string }>;
  let terminal: TerminalState | undefined;
  const handlers: Record<string, (taskInput: Record<string, unknown>) => Promise<unknown>> = {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type !== 'Task') continue;
    handlers[name] = async (taskInput) => {
      if (!/^arn:[^:]+:states:::events:putEvents/.test(state.Resource ?? '')) {
        throw Object.assign(new Error(`dry run must not reach ${name}`), { name: 'Warden.DryRunViolation' });
      }
      const entry = (taskInput['Entries'] as Entry[])[0] as Entry;
      if (entry.DetailType === AUDIT_DETAIL_TYPE) {
        const state = String(entry.Detail['state']);
        if ((TERMINAL_STATES as readonly string[]).includes(state)) terminal = state as TerminalState;
        await context.store.append(
          recordFromEvent(
            { version: '0', id: `${input.finding.findingId}-${state}`, 'detail-type': entry.DetailType, source: entry.Source, account: context.account, region: context.region, time: context.now.toISOString(), resources: [], detail: entry.Detail },
            context.now,
          ),
        );
      }
      return { Entries: [{ EventId: 'local' }], FailedEntryCount: 0 };
    };
  }
  const run = await runLocally(definition, dryInput, handlers, {
    executionArn: `arn:${context.resources.partition}:states:${context.region}:${context.account}:execution:warden-remediation:${input.finding.findingId}`,
    now: context.now,
  });
  if (run.status === 'FAILED' && !terminal) throw new Error(`the dry run failed: ${run.error ?? 'unknown'}`);
  return terminal ?? 'FAILED';
}
