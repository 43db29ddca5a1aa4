import { type CheckId, type CheckSettings, getCheck, isCheckId } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import type { Evaluation, Finding } from '../core/finding';
import type { Detector, FetchedState } from '../detectors/detector';
import { fetchSettled, verifyWithDetector } from '../detectors/fetch-settled';
import { FatalRemediationError, UndoRefusedError } from './errors';
import type { ApplyResult, RemediationContext, RemediationPlan, Remediator, UndoReview, UndoStep } from './remediator';

/** What a check's remediator writes itself; the skeleton does the rest. */
export interface RemediatorParts<
  Id extends CheckId,
  State extends FetchedState,
  Clients extends keyof AwsClients,
  Undo,
  DetectorClients extends Clients = Clients,
> {
  readonly check: Id;
  /** The check's detector (it may need fewer clients): apply re-reads and re-judges with it, and verify is its verdict. */
  readonly detector: Detector<Id, State, DetectorClients>;
  readonly plan: Remediator<Id, Clients, Undo>['plan'];
  /**
   * The fix, called only for a resource that exists, has settled, and is still noncompliant now (not
   * only when the finding was made), with the state and the verdict as they are now.
   */
  fix(
    now: { readonly state: State; readonly evaluation: Evaluation },
    finding: Finding,
    settings: CheckSettings<Id>,
    clients: Pick<AwsClients, Clients>,
    context: RemediationContext,
  ): Promise<ApplyResult<Undo>>;
  /**
   * Reads the resource, compares it with what the fix left (the undo record says), and returns the
   * calls that restore the state before the fix, with the means to make exactly them.
   */
  prepareUndo(record: Undo, clients: Pick<AwsClients, Clients>): Promise<UndoStep>;
  readonly discoverContext?: Remediator<Id, Clients, Undo>['discoverContext'];
  /** A staged fix's second phase and health check (both, or neither). */
  readonly staged?: {
    readonly complete: NonNullable<Remediator<Id, Clients, Undo>['complete']>;
    readonly checkHealth: NonNullable<Remediator<Id, Clients, Undo>['checkHealth']>;
  };
}

/**
 * A fix in place on a stack-managed resource lasts until the stack's next deploy: the plan says so, names
 * the stack, and says what to change in the template (the check's hint), so the owner can make it stick.
 */
function withStackNote(plan: RemediationPlan, finding: Finding): RemediationPlan {
  const stack = finding.managedBy;
  if (!stack || !isCheckId(finding.check)) return plan;
  const hint = getCheck(finding.check).iacHint;
  const where = stack.tool === 'cdk' ? `CDK: ${hint.cdk}` : `CloudFormation: ${hint.cloudFormation}`;
  return {
    ...plan,
    notes: [
      ...plan.notes,
      `Managed by ${stack.tool === 'cdk' ? 'the CDK' : 'CloudFormation'} stack ${stack.stack} (${stack.logicalId}): its next deploy reverts this fix unless the template changes too. The stack's owner must set ${where}.`,
    ],
  };
}

const reviewOf = ({ drift, calls, notes }: UndoStep): UndoReview => ({ drift, calls, notes });

/**
 * A remediator from its parts. Every remediator applies the same way: read the resource until it settles,
 * refuse if it is gone, do nothing if it is compliant by now (unless an earlier invocation's fix made it
 * so: then report that fix and its undo), else fix and record the undo; and verifies the same way: the
 * detector must judge the resource compliant after the fix.
 */
export function defineRemediator<
  Id extends CheckId,
  State extends FetchedState,
  Clients extends keyof AwsClients,
  Undo,
  DetectorClients extends Clients = Clients,
>(parts: RemediatorParts<Id, State, Clients, Undo, DetectorClients>): Remediator<Id, Clients, Undo> {
  const { detector } = parts;
  return {
    check: parts.check,
    plan: (finding, settings, context) => withStackNote(parts.plan(finding, settings, context), finding),
    async apply(finding, settings, clients, context) {
      const state = await fetchSettled(detector, finding, settings, clients);
      if (!state) throw new FatalRemediationError(`${finding.resourceArn} no longer exists`);
      const evaluation = await detector.evaluate(state, settings);
      // One record per execution (finding and episode): a later episode never reports an earlier one's fix.
      const key = context.execution;
      if (evaluation.status !== 'NON_COMPLIANT') {
        // Compliant by now: maybe because an earlier invocation of this execution fixed it and then failed
        // to answer. Its undo was kept, and the retry reports that fix, so it can still be undone.
        const earlier = key ? ((await context.appliedFixes?.recorded(key)) as Undo | undefined) : undefined;
        return earlier === undefined ? { changed: false } : { changed: true, undo: earlier };
      }
      const result = await parts.fix({ state, evaluation }, finding, settings, clients, context);
      if (!key || !result.changed || result.undo === undefined || !context.appliedFixes) return result;
      try {
        await context.appliedFixes.record(key, result.undo);
      } catch (error) {
        // The fix is made and its undo is in this answer: failing now would lose both. Say so instead.
        return { ...result, undoNotKept: (error as { name?: string }).name ?? 'Error' };
      }
      return result;
    },
    verify: (finding, settings, clients, poll) => verifyWithDetector(detector, finding, settings, clients, poll),
    async reviewUndo(record, clients) {
      return reviewOf(await parts.prepareUndo(record, clients));
    },
    async undo(record, clients, options = {}) {
      const step = await parts.prepareUndo(record, clients);
      if (step.drift.length > 0 && options.force !== true) {
        const changes = step.drift.map((drift) => `${drift.field}: Warden left ${drift.warden}, now ${drift.now}`).join('; ');
        throw new UndoRefusedError(`the resource changed since Warden's fix (${changes}); nothing was undone`, step.drift);
      }
      await step.run();
      return reviewOf(step);
    },
    ...(parts.discoverContext ? { discoverContext: parts.discoverContext } : {}),
    ...(parts.staged ? { complete: parts.staged.complete, checkHealth: parts.staged.checkHealth } : {}),
  };
}
