import type { NewRecord } from '../../core/audit/audit-store';
import type { Counters, Log } from '../../core/observability';
import type { Approval, ApprovalStore } from './approval-store';
import { type Delivery, DeliveryFailedError } from '../../core/callbacks/task-callback';
import { approvalResult } from './deliver-decision';

/** What the hub itself records about an approval, next to the workflow's own records. */
export const HUB_APPROVAL_STATES = {
  delivered: 'APPROVAL_DELIVERED',
  gone: 'APPROVAL_GONE',
  unconfirmed: 'APPROVAL_UNCONFIRMED',
  failed: 'APPROVAL_DELIVERY_FAILED',
  refused: 'APPROVAL_CLICK_REFUSED',
} as const;

export interface DeliveryDeps {
  readonly store: ApprovalStore;
  deliver(delivery: Delivery, result: ReturnType<typeof approvalResult>): Promise<'delivered' | 'gone'>;
  readonly audit: { append(record: NewRecord): Promise<unknown> };
  readonly log: Log;
  readonly metrics: Counters;
}

/**
 * - `delivered`: the workflow took the decision;
 * - `gone`: it had stopped waiting and nothing earlier can have reached it (it expired);
 * - `unconfirmed`: it had stopped waiting, but an earlier attempt may have delivered the decision;
 * - `released`: nothing was sent; the approval is PENDING again for a new click;
 * - `retry`: the result may or may not have arrived; the lease runs out and the next attempt resends it.
 */
export type DeliveryOutcome = 'delivered' | 'gone' | 'unconfirmed' | 'released' | 'retry';

/** An audit record about `approval`, in the hub's own words. */
export function approvalRecord(approval: Approval, state: string, actor: string, now: Date, details: Record<string, unknown>): NewRecord {
  return {
    findingId: approval.findingId,
    account: approval.account,
    region: approval.region,
    check: approval.check,
    resourceArn: approval.resourceArn,
    state,
    actor,
    time: now.toISOString(),
    executionArn: approval.executionArn,
    details: { approvalId: approval.approvalId, ...details },
  };
}

/**
 * Delivers the decision a claimed (DELIVERING) approval holds, the first one claimed even when a later
 * click or the sweep took the lease over, then settles it and records the outcome in the audit trail.
 */
export async function completeDelivery(approval: Approval, deps: DeliveryDeps, now: Date, by: string): Promise<DeliveryOutcome> {
  const decision = approval.decision;
  const actor = approval.decidedBy;
  if (!decision || !actor) throw new DeliveryFailedError(`approval ${approval.approvalId} is DELIVERING without a decision`, false);
  const decidedAt = approval.decidedAt ? new Date(approval.decidedAt) : now;
  const record = (state: string, details: Record<string, unknown>) =>
    deps.audit.append(approvalRecord(approval, state, actor, now, { decision, completedBy: by, ...details }));
  let answer: 'delivered' | 'gone';
  try {
    answer = await deps.deliver(
      { account: approval.account, region: approval.region, taskToken: approval.taskToken },
      approvalResult(decision, actor, decidedAt),
    );
  } catch (error) {
    const ambiguous = !(error instanceof DeliveryFailedError) || error.ambiguous;
    const errorName = (error as { name?: string }).name ?? 'Error';
    deps.log.error('approval delivery failed', { findingId: approval.findingId, account: approval.account, error: errorName, ambiguous });
    deps.metrics.count('ApprovalDeliveryFailed');
    if (ambiguous || approval.uncertain) {
      await deps.store.markUncertain(approval);
      await record(HUB_APPROVAL_STATES.failed, { error: errorName, outcome: 'unknown: resent when the lease runs out' });
      return 'retry';
    }
    await deps.store.release(approval);
    await record(HUB_APPROVAL_STATES.failed, { error: errorName, outcome: 'not delivered: pending again' });
    return 'released';
  }
  if (answer === 'delivered') {
    await deps.store.settle(approval, decision);
    deps.metrics.count(decision === 'APPROVED' ? 'Approved' : 'Rejected');
    deps.log.info('approval decided', { findingId: approval.findingId, account: approval.account, decision, actor });
    await record(HUB_APPROVAL_STATES.delivered, {});
    return 'delivered';
  }
  if (approval.uncertain) {
    await deps.store.settle(approval, 'UNCONFIRMED');
    deps.metrics.count('ApprovalUnconfirmed');
    await record(HUB_APPROVAL_STATES.unconfirmed, { outcome: 'the workflow no longer waits; an earlier attempt may have delivered the decision' });
    return 'unconfirmed';
  }
  await deps.store.settle(approval, 'EXPIRED');
  await record(HUB_APPROVAL_STATES.gone, { outcome: 'the workflow had stopped waiting; nothing was delivered' });
  return 'gone';
}
