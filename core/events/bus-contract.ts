/** Terminal audit states: every execution ends in exactly one of these. */
export const TERMINAL_STATES = ['REMEDIATED', 'REJECTED', 'EXPIRED', 'TICKETED', 'REPORTED', 'EXEMPTED', 'FAILED', 'ESCALATED'] as const;
export type TerminalState = (typeof TERMINAL_STATES)[number];

/** Records on the way: detection, auto degraded to approval, flapping, and the first phase of a staged fix. */
export const INTERIM_STATES = ['DETECTED', 'DEGRADED_TO_APPROVAL', 'FLAPPING', 'APPROVAL_REQUESTED', 'MIGRATION_STARTED'] as const;
export type InterimState = (typeof INTERIM_STATES)[number];

/** Every state an audit record can have. */
export const AUDIT_STATES = [...TERMINAL_STATES, ...INTERIM_STATES, 'UNDONE', 'TICKET_OPENED', 'APPROVED'] as const;
export type AuditState = (typeof AUDIT_STATES)[number];

export const AUDIT_SOURCE = 'warden';
export const AUDIT_DETAIL_TYPE = 'Warden Audit Record';
export const APPROVAL_DETAIL_TYPE = 'Warden Approval Requested';
export const TICKET_DETAIL_TYPE = 'Warden Ticket Requested';
/** A check's daily sweep that did not finish (a resource it could not judge, or a list it could not read). */
export const SWEEP_INCOMPLETE_DETAIL_TYPE = 'Warden Sweep Incomplete';

/**
 * What Lambda puts on a bus for an asynchronous invocation that failed after its retries (its
 * EventBridge on-failure destination): a member's detectors send theirs to the member bus, which
 * forwards them to the hub, where one queue keeps them and one alarm watches it for the organization.
 */
export const INVOCATION_FAILURE_PATTERN = { source: ['lambda'], detailType: ['Lambda Function Invocation Result - Failure'] } as const;

/** Error names the approval callback uses (SendTaskFailure `error`). */
export const REJECTED_ERROR = 'Warden.Rejected';

/**
 * Every audit event's detail, as the workflow fills it from its input (JSONPath) and the hub's audit
 * writer reads it: one definition for both sides. States may add more (approval, undo, error, ticket).
 */
export const AUDIT_EVENT_PATHS = {
  findingId: '$.finding.findingId',
  check: '$.finding.check',
  resourceArn: '$.finding.resourceArn',
  region: '$.finding.region',
  executionArn: '$$.Execution.Id',
  time: '$$.State.EnteredTime',
  dryRun: '$.decision.dryRun',
  mode: '$.decision.mode',
  decidedBy: '$.decision.decidedBy',
} as const;
