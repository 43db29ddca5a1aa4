import type { CheckId } from '../core/catalogue';
import { APPROVAL_DETAIL_TYPE, REJECTED_ERROR } from '../core/events/bus-contract';
import { callbackState, recordState, remediatorTask, type State, terminal, ticketRequest, type WorkflowResources } from './workflow-states';

/*
 * A staged fix: the remediator's apply made only a first phase, safe beside the old state (it returned
 * `staged`). The owner is told what to change and the workflow waits for their confirmation, or for the
 * policy's deadline; the resource's health since the first phase must hold before the second phase is
 * made, and again over a watch window after it. Errors that rise stop the workflow: ESCALATED, ticketed.
 *
 *   Apply → Staged? → Record MIGRATION_STARTED → Tell owner → Await owner ─(confirmed | deadline)→
 *   Check health → Healthy? → Complete → Verify → Watch → Check health → Healthy? → Record REMEDIATED
 */

export const ESCALATED = 'Record ESCALATED';
const APPLIED = '$.remediation.result';

const names = (check: CheckId) => ({
  staged: `Staged? ${check}`,
  started: `Record MIGRATION_STARTED ${check}`,
  tell: `Tell owner ${check}`,
  await: `Await owner ${check}`,
  deadline: `Deadline reached ${check}`,
  stopped: `Record REJECTED after phase 1 ${check}`,
  health: `Check health after phase 1 ${check}`,
  healthy: `Healthy after phase 1? ${check}`,
  complete: `Complete ${check}`,
  verify: `Verify phase 2 ${check}`,
  watch: `Watch ${check}`,
  healthAfter: `Check health after phase 2 ${check}`,
  healthyAfter: `Healthy after phase 2? ${check}`,
});

/** Where the check's Apply goes next: the staged branch when its apply stopped after a first phase. */
export function stagedChoice(check: CheckId, verify: string): State {
  return {
    Type: 'Choice',
    Comment: 'A fix whose second phase can break the owner (a secret migration) stops after the first phase',
    Choices: [{ Variable: `${APPLIED}.staged`, IsPresent: true, Next: names(check).started }],
    Default: verify,
  };
}

function healthTask(check: CheckId, resources: WorkflowResources, since: string, next: string): State {
  return remediatorTask(check, 'health', resources, next, { 'since.$': `${APPLIED}.staged.${since}` }, '$.health');
}

function healthChoice(onHealthy: string): State {
  return {
    Type: 'Choice',
    Comment: "The resource's error rate rose more than the policy allows: stop, do not push on",
    Choices: [{ Variable: '$.health.result.healthy', BooleanEquals: false, Next: ESCALATED }],
    Default: onHealthy,
  };
}

/** The staged branch of one check, after its Apply (whose Next is `stagedChoice`). */
export function stagedFixStates(check: CheckId, resources: WorkflowResources): Record<string, State> {
  const name = names(check);
  const applied = { 'applied.$': APPLIED };
  return {
    [name.staged]: stagedChoice(check, `Verify ${check}`),
    [name.started]: recordState('MIGRATION_STARTED', resources, name.tell, {
      'notes.$': '$.plan.notes',
      'undo.$': APPLIED,
      reason: 'first phase made; the owner is told the change to make, and the second phase waits for their confirmation or the deadline',
    }),
    // The owner's ticket: what to change, exactly, and the copies the fix cannot reach. A failure to open
    // it still waits (the Slack request and the deadline remain).
    [name.tell]: ticketRequest(
      resources,
      'secret migration started: the owner must change the code before the plaintext is removed',
      name.await,
      applied,
    ),
    [name.await]: callbackState(
      APPROVAL_DETAIL_TYPE,
      resources,
      { purpose: 'confirm', ...applied, 'expiresInSeconds.$': `${APPLIED}.staged.confirmWithinSeconds` },
      { TimeoutSecondsPath: `${APPLIED}.staged.confirmWithinSeconds` },
      '$.confirmation',
      name.health,
      [
        { ErrorEquals: [REJECTED_ERROR], ResultPath: '$.rejection', Next: name.stopped },
        { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: name.deadline },
      ],
    ),
    [name.deadline]: {
      Type: 'Pass',
      Comment: "Nobody confirmed in time: the policy's deadline stands in for the owner, health still decides",
      Result: { actor: 'deadline', decision: 'DEADLINE' },
      ResultPath: '$.confirmation',
      Next: name.health,
    },
    [name.stopped]: terminal('REJECTED', resources, { 'rejection.$': '$.rejection', 'undo.$': APPLIED }),
    [name.health]: healthTask(check, resources, 'startedAt', name.healthy),
    [name.healthy]: healthChoice(name.complete),
    [name.complete]: remediatorTask(check, 'complete', resources, name.verify, applied, '$.remediation'),
    [name.verify]: remediatorTask(check, 'verify', resources, name.watch),
    [name.watch]: {
      Type: 'Wait',
      Comment: "The policy's health window after the second phase, before the fix counts as done",
      SecondsPath: `${APPLIED}.staged.watchSeconds`,
      Next: name.healthAfter,
    },
    [name.healthAfter]: healthTask(check, resources, 'completedAt', name.healthyAfter),
    [name.healthyAfter]: healthChoice('Record REMEDIATED'),
  };
}

/** Shared by every staged check: the record and the ticket when health did not hold. */
export function escalationStates(resources: WorkflowResources): Record<string, State> {
  return {
    [ESCALATED]: terminal(
      'ESCALATED',
      resources,
      {
        'health.$': '$.health.result',
        'undo.$': APPLIED,
        reason: "the resource's errors rose after a phase of the fix: Warden stopped and changes nothing more; a human decides",
      },
      'Ticket escalation',
    ),
    'Ticket escalation': ticketRequest(
      resources,
      'errors rose after a phase of the fix: Warden stopped; the owner must decide (undo with warden undo, or fix the code)',
      undefined,
      { 'applied.$': APPLIED, 'health.$': '$.health.result' },
    ),
  };
}
