import type { AuditStore } from '../../core/audit/audit-store';
import { recordFromEvent } from '../../core/audit/audit-writer';
import type { Finding } from '../../core/finding';
import type { WorkflowStart } from '../../core/workflow-input';
import { remediatorFor } from '../../remediators/index';
import type { RemediationContext } from '../../remediators/remediator';
import { AUDIT_DETAIL_TYPE, TERMINAL_STATES, type TerminalState } from '../../core/events/bus-contract';
import { buildWorkflowDefinition, type WorkflowResources } from '../../statemachines/remediation-workflow';
import { localTaskHandlers } from '../../statemachines/local-task-handlers';
import { runLocally } from '../../statemachines/run-locally';

/**
 * Runs the real workflow definition locally in dry run: PutEvents tasks append to a local audit trail
 * (through the same writer code as the hub), the Plan state asks the check's remediator for its plan (pure),
 * and nothing else is called. Returns the terminal state.
 */
export async function runDryRun(
  input: WorkflowStart,
  context: {
    store: AuditStore;
    account: string;
    region: string;
    resources: WorkflowResources;
    now: Date;
    remediationContext: RemediationContext;
  },
): Promise<TerminalState> {
  const dryInput: WorkflowStart = { ...input, decision: { ...input.decision, dryRun: true } };
  const definition = buildWorkflowDefinition(context.resources);
  let terminal: TerminalState | undefined;
  // Dry run: only audit records are written and plans made; any other integration fails the run.
  const handlers = localTaskHandlers(definition, {
    invoke(payload) {
      const { action, finding, settings } = payload as { action: string; finding: Finding; settings: never };
      if (action !== 'plan') return Promise.reject(new Error(`a dry run never calls a remediator to ${action}`));
      return Promise.resolve(remediatorFor(finding.check).plan(finding, settings, context.remediationContext));
    },
    async putEvent(event) {
      if (event.detailType !== AUDIT_DETAIL_TYPE) return;
      const state = String(event.detail['state']);
      if ((TERMINAL_STATES as readonly string[]).includes(state)) terminal = state as TerminalState;
      await context.store.append(
        recordFromEvent(
          {
            version: '0',
            id: `${input.finding.findingId}-${state}`,
            'detail-type': event.detailType,
            source: event.source,
            account: context.account,
            region: context.region,
            time: context.now.toISOString(),
            resources: [],
            detail: event.detail,
          },
          context.now,
        ),
      );
    },
  });
  const run = await runLocally(definition, dryInput, handlers, {
    executionArn: `arn:${context.resources.partition}:states:${context.region}:${context.account}:execution:warden-remediation:${input.finding.findingId}`,
    now: context.now,
  });
  if (run.status === 'FAILED' && !terminal) throw new Error(`the dry run failed: ${run.error ?? 'unknown'}`);
  return terminal ?? 'FAILED';
}
