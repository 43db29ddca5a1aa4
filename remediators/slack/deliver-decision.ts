import { REJECTED_ERROR } from '../../core/events/bus-contract';

/** An approval decision as the waiting workflow takes it: output on approval, the Rejected error otherwise. */
export function approvalResult(
  decision: 'APPROVED' | 'REJECTED',
  actor: string,
  at: Date,
): { output: Record<string, unknown> } | { error: string; cause: string } {
  return decision === 'APPROVED'
    ? { output: { actor, decision, decidedAt: at.toISOString() } }
    : { error: REJECTED_ERROR, cause: `rejected by ${actor} at ${at.toISOString()}` };
}
