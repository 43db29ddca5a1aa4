import type { CheckId } from '../core/catalogue';
import { RETRYABLE_REMEDIATION_ERROR, STILL_TRANSITIONING_ERROR } from '../remediators/errors';
import { AUDIT_DETAIL_TYPE, AUDIT_EVENT_PATHS, AUDIT_SOURCE, TICKET_DETAIL_TYPE, type TerminalState } from '../core/events/bus-contract';

/*
 * The kinds of state the remediation workflow is built from (record, callback, plan, remediator task,
 * ticket request), with their retries and catches. remediation-workflow.ts wires them into the definition.
 */

/** What the workflow talks to; CDK passes tokens, tests and `warden simulate` pass placeholders. */
export interface WorkflowResources {
  /** `aws`, `aws-cn` or `aws-us-gov`; the stacks pass the AWS::Partition pseudo parameter. */
  readonly partition: string;
  /** The bus audit records, approval and ticket requests go to (the hub's, or the local one in standalone mode). */
  readonly eventBusArn: string;
  readonly counterTableName: string;
  readonly remediatorFunctionArns: Readonly<Record<CheckId, string>>;
}

export type State = Record<string, unknown>;

export const LAMBDA_TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
export const EVENTS_TRANSIENT = ['EventBridge.InternalException', 'EventBridge.ThrottlingException', 'States.Http.Socket'];
export const DYNAMODB_TRANSIENT = [
  'DynamoDB.ProvisionedThroughputExceededException',
  'DynamoDB.ThrottlingException',
  'DynamoDB.InternalServerErrorException',
  'DynamoDB.RequestLimitExceeded',
];

export const retry = (errors: readonly string[], intervalSeconds = 2, maxAttempts = 5) => ({
  ErrorEquals: errors,
  IntervalSeconds: intervalSeconds,
  MaxAttempts: maxAttempts,
  BackoffRate: 2,
  MaxDelaySeconds: 120,
  JitterStrategy: 'FULL',
});

/** A Step Functions service integration in the deployment's partition. */
export const integration = (resources: WorkflowResources, name: string) => `arn:${resources.partition}:states:::${name}`;

export const FAILED = 'Record FAILED';
export const ROUTE = 'Route by decision';
export const DETECTED = 'Record DETECTED';
export const PLAN_FAILED = 'Planning failed';
export const catchAll = { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: FAILED };

/** Parameters of a PutEvents task: one Warden event on the bus. */
export function putEvent(resources: WorkflowResources, detailType: string, detail: Record<string, unknown>) {
  return { Entries: [{ EventBusName: resources.eventBusArn, Source: AUDIT_SOURCE, DetailType: detailType, Detail: detail }] };
}

/** A PutEvents task that appends one audit record (the hub writer takes the account from the envelope). */
export function recordState(
  state: string,
  resources: WorkflowResources,
  next: string | undefined,
  extra: Record<string, string> = {},
  catchTo: string = FAILED,
): State {
  return {
    Type: 'Task',
    Resource: integration(resources, 'events:putEvents'),
    Parameters: putEvent(resources, AUDIT_DETAIL_TYPE, {
      state,
      ...Object.fromEntries(Object.entries(AUDIT_EVENT_PATHS).map(([field, path]) => [`${field}.$`, path])),
      ...extra,
    }),
    ResultPath: null,
    Retry: [retry(EVENTS_TRANSIENT)],
    Catch: [{ ...catchAll, Next: catchTo }],
    ...(next ? { Next: next } : { End: true }),
  };
}

export function terminal(state: TerminalState, resources: WorkflowResources, extra: Record<string, string> = {}, next?: string): State {
  // The whole approval object: always present (Prepare sets its default), so a callback result missing a
  // field can never make the terminal record itself fail.
  return recordState(state, resources, next, { 'approval.$': '$.approval', ...extra });
}

/** A PutEvents task to the hub that waits for the hub to call back with the task token. */
export function callbackState(
  detailType: string,
  resources: WorkflowResources,
  detail: Record<string, string>,
  timeout: Record<string, unknown>,
  resultPath: string,
  next: string,
  catches: readonly State[],
): State {
  return {
    Type: 'Task',
    Resource: integration(resources, 'events:putEvents.waitForTaskToken'),
    Parameters: putEvent(resources, detailType, {
      'taskToken.$': '$$.Task.Token',
      'executionArn.$': '$$.Execution.Id',
      'finding.$': '$.finding',
      'decision.$': '$.decision',
      'plan.$': '$.plan',
      ...detail,
    }),
    ...timeout,
    ResultPath: resultPath,
    Retry: [retry(EVENTS_TRANSIENT)],
    Catch: [...catches, catchAll],
    Next: next,
  };
}

/**
 * Asks the check's remediator for its plan (pure: no AWS call is made). Detection does not plan, so the
 * detector Lambda loads no fix code; the plan is then shown in the approval, the ticket and the record.
 */
export function planTask(check: CheckId, resources: WorkflowResources): State {
  return {
    Type: 'Task',
    Resource: integration(resources, 'lambda:invoke'),
    Parameters: {
      FunctionName: resources.remediatorFunctionArns[check],
      Payload: { action: 'plan', 'finding.$': '$.finding', 'settings.$': '$.decision.settings' },
    },
    ResultSelector: { 'calls.$': '$.Payload.calls', 'notes.$': '$.Payload.notes' },
    ResultPath: '$.plan',
    TimeoutSeconds: 60,
    Retry: [retry(LAMBDA_TRANSIENT)],
    Catch: [{ ...catchAll, Next: PLAN_FAILED }],
    Next: DETECTED,
  };
}

/** A remediator invocation: apply and complete change the resource (and retry what is retryable), verify and health read it. */
export function remediatorTask(
  check: CheckId,
  action: 'apply' | 'verify' | 'complete' | 'health',
  resources: WorkflowResources,
  next: string,
  extra: Record<string, string> = {},
  resultPath: string = action === 'apply' ? '$.remediation' : '$.verification',
): State {
  const changes = action === 'apply' || action === 'complete';
  const retryable = changes ? [RETRYABLE_REMEDIATION_ERROR, STILL_TRANSITIONING_ERROR] : [STILL_TRANSITIONING_ERROR];
  return {
    Type: 'Task',
    Resource: integration(resources, 'lambda:invoke'),
    Parameters: {
      FunctionName: resources.remediatorFunctionArns[check],
      // The execution's name (finding and episode) keys the undo each fix keeps for a retried invocation.
      Payload: { action, 'finding.$': '$.finding', 'settings.$': '$.decision.settings', 'execution.$': '$$.Execution.Name', ...extra },
    },
    ResultSelector: { 'result.$': '$.Payload' },
    ResultPath: resultPath,
    TimeoutSeconds: 900,
    Retry: [retry(LAMBDA_TRANSIENT), retry(retryable, 15, 6)],
    Catch: [catchAll],
    Next: next,
  };
}

/** A fire-and-forget ticket request (no callback): after EXPIRED, FAILED and ESCALATED, and to tell an owner what to change. */
export function ticketRequest(resources: WorkflowResources, reason: string, next: string | undefined, extra: Record<string, string> = {}): State {
  return {
    Type: 'Task',
    Resource: integration(resources, 'events:putEvents'),
    Parameters: putEvent(resources, TICKET_DETAIL_TYPE, {
      reason,
      'executionArn.$': '$$.Execution.Id',
      'finding.$': '$.finding',
      'decision.$': '$.decision',
      'plan.$': '$.plan',
      ...extra,
    }),
    ResultPath: null,
    Retry: [retry(EVENTS_TRANSIENT)],
    // After a terminal record: a failure here must not write a second one, so it ends the execution as failed.
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.ticketError', Next: next ?? 'Ticket request failed' }],
    ...(next ? { Next: next } : { End: true }),
  };
}
