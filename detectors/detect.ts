import { type CheckDefinition, type CheckId, getCheck } from '../core/catalogue';
import { parseArn } from '../core/aws/arns';
import type { AwsClients } from '../core/aws/clients';
import { awsErrorName, errorMessage } from '../core/errors';
import { StillTransitioningError } from './errors';
import { type Finding, findingIdOf, type ResourceRef } from '../core/finding';
import type { Counters, Log } from '../core/observability';
import type { Policy } from '../core/policy/schema';
import { resolvePolicy } from '../core/policy/resolve-policy';
import { decisionOf, type WorkflowStart } from '../core/workflow-input';
import type { AcceptedRisks } from './accepted-risks';
import type { Break, Rebreaks } from './rebreaks';
import { ticketIfStackManaged, withAcceptedRisk, withFlapping } from './adjust-decision';
import { managedByFromTags, type StackLookup } from './managed-by';
import type { Detector, FetchedState } from './detector';
import { fetchSettled, type PollOptions } from './fetch-settled';

export type ResourceOutcome = 'disabled' | 'deleted' | 'compliant' | 'not-applicable' | 'started' | 'duplicate' | 'refused' | 'deferred';

/** How reports (simulate, scan) name the outcomes that start no workflow. */
export const QUIET_OUTCOME_STATUS = {
  compliant: 'COMPLIANT',
  'not-applicable': 'NOT_APPLICABLE',
  deleted: 'NOT_FOUND',
  disabled: 'DISABLED',
  refused: 'REFUSED',
  deferred: 'DEFERRED',
} as const satisfies Record<Exclude<ResourceOutcome, 'started' | 'duplicate'>, string>;

export type QuietStatus = (typeof QUIET_OUTCOME_STATUS)[keyof typeof QUIET_OUTCOME_STATUS];

export interface DetectionDeps<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients> {
  readonly detector: Detector<Id, State, Clients>;
  readonly clients: Pick<AwsClients, Clients>;
  readonly policy: Policy;
  /** The account's organizational units, root first (for OU overrides). */
  readonly organizationalUnits: readonly string[];
  startWorkflow(input: WorkflowStart): Promise<'started' | 'duplicate'>;
  /** Finds the stack that manages a resource; without it, only the resource's own tags are read. */
  readonly stacks?: Pick<StackLookup, 'managedBy'>;
  /** The automatic fixes of each resource, for flapping; absent where none are kept (scan, simulate). */
  readonly rebreaks?: Pick<Rebreaks, 'recent' | 'record'>;
  /** Risks owners accepted when they undid a fix (warden undo); absent where none are kept (scan, simulate). */
  readonly acceptedRisks?: Pick<AcceptedRisks, 'find'>;
  readonly log: Log;
  readonly metrics: Counters;
  now(): Date;
  readonly poll?: PollOptions;
}

/** Errors that mean "try again later" or "fix Warden's permissions": logged with context, then rethrown. */
const RETHROWN_WITH_CONTEXT =
  /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|ThrottlingException|Throttling|TooManyRequestsException|RequestLimitExceeded)$/;

/** Reads, judges and, when noncompliant, starts the remediation workflow for one resource. */
export async function detectResource<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  ref: ResourceRef & { check: Id },
  trigger: Finding['trigger'],
  deps: DetectionDeps<Id, State, Clients>,
  listed?: State,
): Promise<{ outcome: ResourceOutcome; finding?: Finding; input?: WorkflowStart }> {
  const context = { ...ref, organizationalUnits: deps.organizationalUnits, now: deps.now() };
  // Settings never depend on tags (exemptions and owners do): these are the settings the check judges by.
  const preliminary = resolvePolicy(deps.policy, { ...context, tags: {} });
  if (!preliminary.enabled) return { outcome: 'disabled' };
  let state: State | undefined;
  try {
    // A state the sweep's list already carries is judged as listed, unless it is mid-change.
    if (listed && !deps.detector.transitioning(listed))
      state = deps.detector.complete ? await deps.detector.complete(listed, ref, deps.clients) : listed;
    else state = await fetchSettled(deps.detector, ref, preliminary.settings, deps.clients, deps.poll);
  } catch (error) {
    if (error instanceof StillTransitioningError) {
      // A restored or imported table can stay CREATING for hours: judged by the daily sweep once it settles,
      // not retried into the dead-letter queue.
      deps.log.warn('still transitioning: left for the sweep', { check: ref.check, resourceArn: ref.resourceArn, problem: error.message });
      deps.metrics.count('DeferredToSweep');
      return { outcome: 'deferred' };
    }
    const name = awsErrorName(error) ?? '';
    if (RETHROWN_WITH_CONTEXT.test(name)) {
      deps.log.error('cannot read resource', {
        check: ref.check,
        resourceArn: ref.resourceArn,
        account: ref.account,
        region: ref.region,
        error: name,
        message: errorMessage(error),
      });
      deps.metrics.count(name.startsWith('AccessDenied') || name === 'UnauthorizedOperation' ? 'AccessDenied' : 'Throttled');
    }
    throw error;
  }
  if (!state) return { outcome: 'deleted' };
  // The finding names the resource as the API reports it, never as the event does; and the API's answer
  // must be about this account and region (a forged or misrouted event cannot point the fix elsewhere).
  const apiArn = state.resourceArn ?? ref.resourceArn;
  const reported = parseArn(apiArn);
  if (reported && ((reported.account !== '' && reported.account !== ref.account) || (reported.region !== '' && reported.region !== ref.region))) {
    deps.log.error('resource outside the detector scope refused', {
      check: ref.check,
      eventArn: ref.resourceArn,
      apiArn,
      account: ref.account,
      region: ref.region,
    });
    deps.metrics.count('ForeignResource');
    return { outcome: 'refused' };
  }
  const evaluation = await deps.detector.evaluate(state, preliminary.settings);
  if (evaluation.status === 'COMPLIANT') return { outcome: 'compliant' };
  if (evaluation.status === 'NOT_APPLICABLE') return { outcome: 'not-applicable' };
  // Only a finding needs its tags (exemptions, owner, stack): compliant resources cost no tag read.
  if (deps.detector.tagsOf) {
    const tags = await deps.detector.tagsOf(state, deps.clients);
    if (!tags) return { outcome: 'deleted' };
    state = { ...state, tags };
  }
  const resolved = resolvePolicy(deps.policy, { ...context, tags: state.tags });
  if (evaluation.status === 'NOT_EVALUATED') {
    deps.log.warn('not evaluated', { check: ref.check, resourceArn: apiArn, reason: evaluation.reason });
    deps.metrics.count('NotEvaluated');
  }
  // Only a finding needs its stack: compliant resources cost no CloudFormation call.
  const check = getCheck(ref.check);
  const physicalId = 'physicalId' in check ? check.physicalId(apiArn, evaluation.evidence) : undefined;
  const managedBy = deps.stacks ? await deps.stacks.managedBy(state.tags, physicalId) : managedByFromTags(state.tags);
  const finding: Finding = {
    check: ref.check,
    account: ref.account,
    region: ref.region,
    resourceArn: apiArn,
    findingId: findingIdOf({ ...ref, resourceArn: apiArn }, identifyingEvidence(check, evaluation.evidence)),
    reason: evaluation.reason,
    evidence: evaluation.evidence,
    tags: state.tags,
    detectedAt: context.now.toISOString(),
    trigger,
    ...(managedBy ? { managedBy } : {}),
  };
  // A resource the detector could not judge goes on the record as reported, with why, and is never fixed.
  const notEvaluated = evaluation.status === 'NOT_EVALUATED';
  const decided = await withAcceptedRisk(ticketIfStackManaged(decisionOf(resolved, context.now), resolved.iacManaged, finding), finding, deps);
  // Only automatic fixes count towards flapping: a human decides every other mode already.
  const counted = deps.rebreaks && !notEvaluated && decided.mode === 'auto' && !decided.exempt && !decided.dryRun ? deps.rebreaks : undefined;
  const thisBreak: Break = { at: context.now.toISOString(), by: trigger.principal ?? trigger.kind };
  const decision = counted ? await withFlapping(decided, finding, thisBreak, resolved.flapping, counted) : decided;
  // Detection does not plan the fix: the workflow asks the remediator (its Plan state), the CLI does likewise.
  const input: WorkflowStart = notEvaluated
    ? {
        finding,
        decision: { ...decision, mode: 'report', decidedBy: 'not evaluated' },
        plan: {
          calls: [],
          notes: [
            `Not evaluated: ${evaluation.reason}. Let the detector's role decrypt with that key (kms:Decrypt through Lambda) so Warden can judge it.`,
          ],
        },
      }
    : { finding, decision };
  for (const expired of resolved.expiredExemptions)
    deps.log.warn('expired exemption ignored', { rule: expired.rule, expires: expired.expires, resourceArn: ref.resourceArn });
  const outcome = await deps.startWorkflow(input);
  if (counted && outcome === 'started')
    await counted.record(ref.check, apiArn, thisBreak, resolved.flapping.windowSeconds, decision.flapping?.ticket === true);
  deps.metrics.count(outcome === 'started' ? 'WorkflowStarted' : 'DuplicateFinding');
  deps.log.info(outcome === 'started' ? 'noncompliant: workflow started' : 'noncompliant: workflow already running for this finding', {
    check: ref.check,
    resourceArn: ref.resourceArn,
    findingId: finding.findingId,
    mode: input.decision.mode,
    decidedBy: input.decision.decidedBy,
  });
  return { outcome, finding, input };
}

/** The evidence a finding is identified by: all of it but what its check declares volatile. */
function identifyingEvidence(check: CheckDefinition, evidence: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const volatile = check.volatileEvidence ?? [];
  return Object.fromEntries(Object.entries(evidence).filter(([key]) => !volatile.includes(key)));
}
