import type { CheckId, CheckSettings } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import type { Evaluation, Finding } from '../core/finding';
import { FatalRemediationError } from './errors';
import type { ApplyResult, HealthReport, RemediationContext, RemediationPlan, Remediator } from './remediator';

/** What the workflow asks a remediator Lambda to do, as its Task payload says. */
export interface RemediatorEvent<Id extends CheckId> {
  /**
   * `plan`: the exact calls `apply` would make, for the approval, the ticket and the record (pure, no AWS
   * call). `complete` and `health`: a staged fix's second phase, and the resource's health since a phase.
   */
  readonly action: 'plan' | 'apply' | 'verify' | 'complete' | 'health';
  /** The workflow execution's name: one per finding and episode. */
  readonly execution?: string;
  readonly finding: Finding;
  readonly settings: CheckSettings<Id>;
  /** `complete`: what the first phase returned. */
  readonly applied?: ApplyResult<unknown>;
  /** `health`: when the phase being judged was made (ISO-8601). */
  readonly since?: string;
}

export type RemediatorAnswer<Undo> =
  | { readonly action: 'plan'; readonly result: RemediationPlan }
  | { readonly action: 'verify'; readonly result: Evaluation }
  | { readonly action: 'health'; readonly result: HealthReport }
  | { readonly action: 'apply' | 'complete'; readonly result: ApplyResult<Undo> };

/** One workflow request to a remediator, carried out: the Lambda handler and every local run go through here. */
export async function runRemediatorAction<Id extends CheckId, Clients extends keyof AwsClients, Undo>(
  remediator: Remediator<Id, Clients, Undo>,
  event: RemediatorEvent<Id>,
  clients: Pick<AwsClients, Clients>,
  context: RemediationContext,
): Promise<RemediatorAnswer<Undo>> {
  const { finding, settings } = event;
  switch (event.action) {
    case 'plan':
      return { action: 'plan', result: remediator.plan(finding, settings, context) };
    case 'verify':
      return { action: 'verify', result: await remediator.verify(finding, settings, clients) };
    case 'apply':
      return {
        action: 'apply',
        result: await remediator.apply(finding, settings, clients, { ...context, ...(event.execution ? { execution: event.execution } : {}) }),
      };
    case 'health':
      if (!remediator.checkHealth || !event.since)
        throw new FatalRemediationError(`${remediator.check} judges no health, or no phase time was given`);
      return { action: 'health', result: await remediator.checkHealth(finding, settings, clients, event.since) };
    case 'complete':
      if (!remediator.complete || !event.applied)
        throw new FatalRemediationError(`${remediator.check} has no second phase, or no first phase was given`);
      return { action: 'complete', result: await remediator.complete(finding, settings, clients, event.applied as ApplyResult<Undo>) };
    default:
      throw new FatalRemediationError(`unknown remediator action ${JSON.stringify((event as { action: unknown }).action)}`);
  }
}
