import { CATALOGUE, type CheckId } from '../core/catalogue';
import { AUDIT_SOURCE, SWEEP_INCOMPLETE_DETAIL_TYPE } from '../core/events/bus-contract';
import { MALFORMED_EVENT_ERROR } from '../core/events/errors';
import { SWEEP_INCOMPLETE_ERROR } from '../detectors/errors';
import { SWEEP_STEP_KEY } from '../detectors/sweep-step';
import { EVENTS_TRANSIENT, retry } from './workflow-states';

export const SWEEP_STATE_MACHINE_NAME = 'warden-sweep';

/** What the sweep workflow talks to; CDK passes tokens, tests pass placeholders. */
export interface SweepWorkflowResources {
  readonly partition: string;
  /** Where a check whose sweep did not finish is reported (the member bus forwards it to the hub). */
  readonly eventBusArn: string;
  readonly detectorFunctionArns: Readonly<Record<CheckId, string>>;
}

export const SWEEP_PAGE = 'Sweep pages';
export const REPORT_INCOMPLETE = 'Report the incomplete sweep';

/**
 * The daily sweep of one member account and region, in Amazon States Language (JSONPath). A Map over
 * the checks, one at a time in catalogue order, so no two sweeps share an API's rate window. Each check
 * is a loop of its detector's sweep steps: a step pages for as long as its Lambda has time, and hands
 * its cursor and outcomes to the next, so an account of any size is swept, never cut off at one
 * function's timeout. A check whose sweep fails is reported to the hub and the Map goes on; the
 * execution's output is the one summary, each check's outcomes.
 *
 * Inline mode: the Map's items are the checks (a dozen), not the resources, which the steps page
 * through; the resources of a check are swept in sequence because the API's rate, not Lambda, bounds
 * a sweep (a Distributed Map's parallel children would only share the same per-account limit).
 */
export function buildSweepDefinition(resources: SweepWorkflowResources): Record<string, unknown> {
  return {
    Comment: 'Warden daily sweep: every check in turn, each paged through its detector until its list ends',
    StartAt: 'Checks',
    States: {
      Checks: {
        Type: 'Pass',
        Comment: 'The checks and their detectors, fixed at deploy: an execution cannot be pointed at another function',
        Result: CATALOGUE.map((check) => ({ check: check.id, detector: resources.detectorFunctionArns[check.id] })),
        Next: 'Sweep each check',
      },
      'Sweep each check': {
        Type: 'Map',
        MaxConcurrency: 1,
        ItemSelector: {
          'check.$': '$$.Map.Item.Value.check',
          'detector.$': '$$.Map.Item.Value.detector',
          step: { 'check.$': '$$.Map.Item.Value.check', cursor: null, outcomes: {}, done: false },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: SWEEP_PAGE,
          States: {
            [SWEEP_PAGE]: {
              Type: 'Task',
              Resource: `arn:${resources.partition}:states:::lambda:invoke`,
              Parameters: { 'FunctionName.$': '$.detector', Payload: { [`${SWEEP_STEP_KEY}.$`]: '$.step' } },
              ResultSelector: {
                'check.$': '$.Payload.check',
                'cursor.$': '$.Payload.cursor',
                'outcomes.$': '$.Payload.outcomes',
                'done.$': '$.Payload.done',
              },
              ResultPath: '$.step',
              // The step is retried from its own cursor (judging a resource twice is harmless); a sweep that
              // ended incomplete, or a step the detector refused, would only fail the same way again.
              Retry: [{ ErrorEquals: [SWEEP_INCOMPLETE_ERROR, MALFORMED_EVENT_ERROR], MaxAttempts: 0 }, { ...retry(['States.ALL'], 30, 3) }],
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: REPORT_INCOMPLETE }],
              Next: 'More pages?',
            },
            'More pages?': {
              Type: 'Choice',
              Choices: [{ Variable: '$.step.done', BooleanEquals: false, Next: SWEEP_PAGE }],
              Default: 'Swept',
            },
            Swept: { Type: 'Pass', Parameters: { 'check.$': '$.check', 'outcomes.$': '$.step.outcomes' }, End: true },
            [REPORT_INCOMPLETE]: {
              Type: 'Task',
              Resource: `arn:${resources.partition}:states:::events:putEvents`,
              Parameters: {
                Entries: [
                  {
                    EventBusName: resources.eventBusArn,
                    Source: AUDIT_SOURCE,
                    DetailType: SWEEP_INCOMPLETE_DETAIL_TYPE,
                    Detail: { 'check.$': '$.check', 'outcomesSoFar.$': '$.step.outcomes', 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
                  },
                ],
              },
              ResultPath: null,
              Retry: [retry(EVENTS_TRANSIENT)],
              Next: 'Not swept',
            },
            'Not swept': {
              Type: 'Pass',
              Parameters: { 'check.$': '$.check', 'outcomesSoFar.$': '$.step.outcomes', 'incomplete.$': '$.error.Error' },
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };
}
