import type { ApprovalStore } from './approval-store';
import { completeDelivery, type DeliveryDeps, type DeliveryOutcome } from './complete-delivery';

export interface SweepResult {
  /** Pending approvals that expire within the hour (the metric behind the alarm). */
  readonly nearingExpiry: number;
  /** Deliveries whose holder died or failed ambiguously, completed now, by outcome. */
  readonly recovered: Partial<Record<DeliveryOutcome | 'taken', number>>;
}

/**
 * The scheduled sweep over the approvals table: counts the approvals nearing expiry, and completes every
 * delivery whose lease ran out (the function that claimed it died, or its call failed ambiguously) by
 * resending the decision first claimed. No approval stays DELIVERING for longer than a lease and a sweep.
 */
export async function sweepApprovals(store: ApprovalStore, deps: DeliveryDeps, now: Date): Promise<SweepResult> {
  const { nearingExpiry, staleLeases } = await store.needingAttention(3600, now);
  for (const approval of nearingExpiry)
    deps.log.warn('approval nearing expiry', {
      findingId: approval.findingId,
      account: approval.account,
      check: approval.check,
      expiresAt: approval.expiresAt,
    });
  const recovered: Record<string, number> = {};
  for (const stale of staleLeases) {
    // Someone else (a click) may have taken it over since the scan: then it is theirs.
    const approval = await store.takeOver(stale.approvalId, undefined, now);
    if (!approval) {
      recovered['taken'] = (recovered['taken'] ?? 0) + 1;
      continue;
    }
    const outcome = await completeDelivery(approval, deps, now, 'warden:approval-sweep');
    recovered[outcome] = (recovered[outcome] ?? 0) + 1;
    deps.log.warn('stale approval delivery completed', { findingId: approval.findingId, account: approval.account, outcome });
  }
  return { nearingExpiry: nearingExpiry.length, recovered };
}
