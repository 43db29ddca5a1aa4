import type { Counters } from '../core/observability';
import type { Finding } from '../core/finding';
import type { Decision } from '../core/workflow-input';
import type { AcceptedRisks } from './accepted-risks';
import type { Break, Rebreaks } from './rebreaks';

/*
 * What can change the policy's decision for one finding, once the detector knows more than the policy:
 * the stack that manages the resource, a risk its owner accepted, and a fix that keeps being undone.
 */

/**
 * A resource that broke again `maxRebreaks` times within the window after automatic fixes is flapping:
 * something (a pipeline, a script) keeps undoing the fix. No more automatic fixes: a human decides, and
 * the first detection of the spell opens one ticket naming who re-broke it each time.
 */
export async function withFlapping(
  decision: Decision,
  finding: Finding,
  thisBreak: Break,
  flapping: { readonly maxRebreaks: number; readonly windowSeconds: number },
  rebreaks: Pick<Rebreaks, 'recent'>,
): Promise<Decision> {
  const { breaks, ticketed } = await rebreaks.recent(finding.check, finding.resourceArn, new Date(thisBreak.at), flapping.windowSeconds);
  // The first break in the window is the original; each one after it, and this one, is a re-break.
  if (breaks.length < flapping.maxRebreaks) return decision;
  const hours = Math.round(flapping.windowSeconds / 3600);
  return {
    ...decision,
    mode: 'approval',
    decidedBy: `flapping (${breaks.length} re-breaks within ${hours}h)`,
    flapping: {
      rebreaks: [...breaks.slice(1), thisBreak],
      maxRebreaks: flapping.maxRebreaks,
      windowSeconds: flapping.windowSeconds,
      ticket: !ticketed,
    },
  };
}

/**
 * `iacManaged: ticket`: a stack-managed resource is not fixed in place (its next deploy would revert it);
 * the stack's owner gets a ticket to change the template instead.
 */
export function ticketIfStackManaged(decision: Decision, iacManaged: 'fix' | 'ticket', finding: Finding): Decision {
  if (iacManaged !== 'ticket' || !finding.managedBy || decision.mode === 'report' || decision.mode === 'ticket') return decision;
  return { ...decision, mode: 'ticket', decidedBy: `iacManaged: ticket (${finding.managedBy.tool} stack ${finding.managedBy.stack})` };
}

/**
 * An accepted risk exempts the resource as a policy exemption would, until it lapses: the workflow then
 * records EXEMPTED with who accepted it and why, and changes nothing. A policy exemption stays first.
 */
export async function withAcceptedRisk(
  decision: Decision,
  finding: Finding,
  deps: { readonly acceptedRisks?: Pick<AcceptedRisks, 'find'>; readonly metrics: Counters; now(): Date },
): Promise<Decision> {
  if (decision.exempt || !deps.acceptedRisks) return decision;
  const accepted = await deps.acceptedRisks.find(finding.check, finding.resourceArn, deps.now());
  if (!accepted) return decision;
  deps.metrics.count('AcceptedRisk');
  const exemption = {
    rule: 'accepted risk',
    reason: `${accepted.reason} (accepted by ${accepted.by} when undoing finding ${accepted.findingId})`,
    expires: accepted.until.slice(0, 10),
  };
  return { ...decision, exempt: true, exemption, decidedBy: 'accepted risk' };
}
