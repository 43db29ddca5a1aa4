import { CATALOGUE } from '../core/catalogue';
import { APPROVAL_DETAIL_TYPE, REJECTED_ERROR, TICKET_DETAIL_TYPE } from '../core/events/bus-contract';
import {
  callbackState,
  catchAll,
  DETECTED,
  DYNAMODB_TRANSIENT,
  FAILED,
  integration,
  PLAN_FAILED,
  planTask,
  recordState,
  remediatorTask,
  retry,
  ROUTE,
  terminal,
  ticketRequest,
  type WorkflowResources,
} from './workflow-states';
import { escalationStates, stagedFixStates } from './staged-fix-states';

export type { WorkflowResources } from './workflow-states';

const NOTHING_TO_APPLY = 'Ticket: nothing to apply';

/** The remediation workflow in Amazon States Language (JSONPath), one Standard state machine per member account/region. */
export function buildWorkflowDefinition(resources: WorkflowResources): Record<string, unknown> {
  const planStates = Object.fromEntries(CATALOGUE.map((check) => [`Plan ${check.id}`, planTask(check.id, resources)]));
  const applyStates = Object.fromEntries(
    CATALOGUE.flatMap((check) => {
      const staged = 'staged' in check && check.staged === true;
      return [
        [`Apply ${check.id}`, remediatorTask(check.id, 'apply', resources, staged ? `Staged? ${check.id}` : `Verify ${check.id}`)],
        [`Verify ${check.id}`, remediatorTask(check.id, 'verify', resources, 'Record REMEDIATED')],
        ...(staged ? Object.entries(stagedFixStates(check.id, resources)) : []),
      ];
    }),
  );
  const anyStaged = CATALOGUE.some((check) => 'staged' in check && check.staged === true);
  const afterRemediation = { 'before.$': '$.finding.evidence', 'after.$': '$.verification.result.evidence', 'undo.$': '$.remediation.result' };
  return {
    Comment: 'Warden remediation workflow: record, decide, act, record exactly one terminal state',
    StartAt: 'Prepare',
    States: {
      Prepare: {
        Type: 'Pass',
        Comment: 'Defaults so every later path can be read: the actor is Warden unless a human approves',
        Result: { actor: 'warden', decision: 'AUTO' },
        ResultPath: '$.approval',
        Next: 'Plan the fix',
      },
      'Plan the fix': {
        Type: 'Choice',
        Comment: "The check's remediator plans; a finding the detector could not judge brings its own plan (notes only)",
        Choices: [
          { Variable: '$.decision.exempt', BooleanEquals: true, Next: 'No plan: exempt' },
          { Variable: '$.plan', IsPresent: true, Next: DETECTED },
          ...CATALOGUE.map((check) => ({ Variable: '$.finding.check', StringEquals: check.id, Next: `Plan ${check.id}` })),
        ],
        Default: PLAN_FAILED,
      },
      'No plan: exempt': {
        Type: 'Pass',
        Comment: 'An exempt finding is only recorded; from here on every state can read $.plan',
        Result: { calls: [], notes: ['Exempt by policy: nothing will be changed.'] },
        ResultPath: '$.plan',
        Next: DETECTED,
      },
      ...planStates,
      [PLAN_FAILED]: {
        Type: 'Pass',
        Comment: 'No plan: the failure record and its ticket still carry one, empty, that says why',
        Result: { calls: [], notes: ['Warden could not plan this fix; nothing was changed. The error is in this record.'] },
        ResultPath: '$.plan',
        Next: FAILED,
      },
      [DETECTED]: recordState('DETECTED', resources, ROUTE, {
        // After planning: the plan's notes (what breaks, who must act, a stack that would revert the fix).
        'notes.$': '$.plan.notes',
        'reason.$': '$.finding.reason',
        'before.$': '$.finding.evidence',
        'trigger.$': '$.finding.trigger',
        'expiredExemptions.$': '$.decision.expiredExemptions',
      }),
      [ROUTE]: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.decision.exempt', BooleanEquals: true, Next: 'Record EXEMPTED' },
          { Variable: '$.decision.flapping', IsPresent: true, Next: 'Record FLAPPING' },
          { Variable: '$.decision.mode', StringEquals: 'report', Next: 'Record REPORTED' },
          { Variable: '$.decision.dryRun', BooleanEquals: true, Next: 'Dry run outcome' },
          { Variable: '$.decision.mode', StringEquals: 'ticket', Next: 'Open ticket' },
          // A plan with no call (no web ACL named for the region, a detector that could not judge): nothing
          // to approve or apply. Its notes say what is needed; a ticket carries them to a human. (Not IsPresent,
          // same meaning as IsPresent false, which aws-local-stepfunctions 3.0 evaluates as never true.)
          { Not: { Variable: '$.plan.calls[0]', IsPresent: true }, Next: NOTHING_TO_APPLY },
          { Variable: '$.decision.mode', StringEquals: 'approval', Next: 'Request approval' },
        ],
        Default: 'Budget allows automatic fixes?',
      },
      [NOTHING_TO_APPLY]: ticketRequest(resources, 'nothing Warden can apply: the plan says what is needed', 'Record REPORTED (nothing to apply)'),
      'Record REPORTED (nothing to apply)': terminal('REPORTED', resources, {
        'plannedCalls.$': '$.plan.calls',
        reason: 'nothing Warden can apply: the plan says what is needed, and a ticket was requested',
      }),
      'Budget allows automatic fixes?': {
        Type: 'Choice',
        Comment: 'maxAutoFixesPerHour 0 means every fix needs approval',
        Choices: [{ Variable: '$.decision.maxAutoFixesPerHour', NumericLessThanEquals: 0, Next: 'Record DEGRADED_TO_APPROVAL' }],
        Default: 'Take blast-radius budget',
      },
      'Record EXEMPTED': terminal('EXEMPTED', resources, { 'exemption.$': '$.decision.exemption' }),
      'Record FLAPPING': recordState('FLAPPING', resources, 'Ticket flapping?', {
        'flapping.$': '$.decision.flapping',
        reason: 'the resource broke again after automatic fixes too often: no more automatic fixes, a human decides',
      }),
      'Ticket flapping?': {
        Type: 'Choice',
        Comment: 'One ticket per flapping spell (the detector knows whether this spell has one)',
        Choices: [{ Variable: '$.decision.flapping.ticket', BooleanEquals: true, Next: 'Ticket flapping' }],
        Default: 'Request approval',
      },
      // The ticket names who re-broke it (decision.flapping); a failure to send it still asks for a decision.
      'Ticket flapping': ticketRequest(resources, 'flapping: broken again after automatic fixes; see who re-broke it', 'Request approval'),
      'Record REPORTED': terminal('REPORTED', resources, { 'plannedCalls.$': '$.plan.calls' }),
      'Dry run outcome': {
        Type: 'Choice',
        Comment: 'Dry run: record what would happen, with the planned calls, and change nothing',
        Choices: [
          { Variable: '$.decision.mode', StringEquals: 'auto', Next: 'Record REMEDIATED (dry run)' },
          { Variable: '$.decision.mode', StringEquals: 'ticket', Next: 'Record TICKETED (dry run)' },
        ],
        Default: 'Record REPORTED (dry run)',
      },
      'Record REMEDIATED (dry run)': terminal('REMEDIATED', resources, { 'plannedCalls.$': '$.plan.calls' }),
      'Record TICKETED (dry run)': terminal('TICKETED', resources, { 'plannedCalls.$': '$.plan.calls' }),
      'Record REPORTED (dry run)': terminal('REPORTED', resources, { 'plannedCalls.$': '$.plan.calls' }),
      'Take blast-radius budget': {
        Type: 'Task',
        Comment: 'Atomic per-account, per-check counter of automatic fixes in the current hour',
        Resource: integration(resources, 'dynamodb:updateItem'),
        Parameters: {
          TableName: resources.counterTableName,
          Key: { pk: { 'S.$': "States.Format('{}#{}#{}', $.finding.account, $.finding.check, $.decision.budget.window)" } },
          UpdateExpression: 'ADD fixes :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(fixes) OR fixes < :max',
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':max': { 'N.$': "States.Format('{}', $.decision.maxAutoFixesPerHour)" },
            ':expiresAt': { 'N.$': "States.Format('{}', $.decision.budget.expiresAt)" },
          },
        },
        ResultPath: null,
        Retry: [retry(DYNAMODB_TRANSIENT)],
        Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: null, Next: 'Record DEGRADED_TO_APPROVAL' }, catchAll],
        Next: 'Remediate',
      },
      'Record DEGRADED_TO_APPROVAL': recordState('DEGRADED_TO_APPROVAL', resources, 'Request approval', {
        'maxAutoFixesPerHour.$': '$.decision.maxAutoFixesPerHour',
        reason: 'blast-radius budget of automatic fixes for this account and check is used up this hour; asking for approval instead',
      }),
      'Request approval': callbackState(
        APPROVAL_DETAIL_TYPE,
        resources,
        { 'expiresInSeconds.$': '$.decision.approvalTimeoutSeconds' },
        { TimeoutSecondsPath: '$.decision.approvalTimeoutSeconds' },
        '$.approval',
        'Remediate',
        [
          { ErrorEquals: [REJECTED_ERROR], ResultPath: '$.rejection', Next: 'Record REJECTED' },
          { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Record EXPIRED' },
        ],
      ),
      'Record REJECTED': terminal('REJECTED', resources, { 'rejection.$': '$.rejection' }),
      'Record EXPIRED': terminal('EXPIRED', resources, {}, 'Ticket expired approval'),
      'Ticket expired approval': ticketRequest(resources, 'approval expired without a decision', undefined),
      'Ticket request failed': {
        Type: 'Fail',
        Error: 'Warden.TicketRequestFailed',
        Cause: 'the terminal record was written; the ticket request could not be sent',
      },
      Remediate: {
        Type: 'Choice',
        Choices: CATALOGUE.map((check) => ({ Variable: '$.finding.check', StringEquals: check.id, Next: `Apply ${check.id}` })),
        Default: FAILED,
      },
      ...applyStates,
      ...(anyStaged ? escalationStates(resources) : {}),
      'Record REMEDIATED': terminal('REMEDIATED', resources, afterRemediation),
      'Open ticket': callbackState(
        TICKET_DETAIL_TYPE,
        resources,
        { reason: 'mode ticket' },
        { TimeoutSeconds: 3600 },
        '$.ticket',
        'Record TICKETED',
        [],
      ),
      'Record TICKETED': terminal('TICKETED', resources, { 'ticket.$': '$.ticket' }),
      [FAILED]: { ...recordState('FAILED', resources, 'Ticket failure', { 'approval.$': '$.approval', 'error.$': '$.error' }, 'Remediation failed') },
      'Ticket failure': ticketRequest(resources, 'remediation failed', 'Remediation failed'),
      'Remediation failed': { Type: 'Fail', Error: 'Warden.RemediationFailed', Cause: 'recorded as FAILED and ticketed' },
    },
  };
}
