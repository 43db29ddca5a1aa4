import type { AwsClients } from '../../core/aws/clients';
import type { CheckId } from '../../core/catalogue';
import type { Policy } from '../../core/policy/schema';
import type { WorkflowStart } from '../../core/workflow-input';
import type { Detector, FetchedState } from '../../detectors/detector';
import type { handleDetectorEvent } from '../../detectors/handle-event';
import { captureLog } from './capture-log';
import { NO_WAIT } from './findings';

/**
 * What a detector handler is given, for tests: the detector, its clients and the policy, with a
 * captured log and counters, a workflow starter that records what it would start, and no waiting.
 */
export function detectionDeps<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  detector: Detector<Id, State, Clients>,
  clients: Pick<AwsClients, Clients>,
  policy: Policy,
  options: { now: Date; overrides?: Record<string, unknown> },
) {
  const capture = captureLog();
  const started: WorkflowStart[] = [];
  const deps = {
    detector,
    clients,
    policy,
    organizationalUnits: [],
    startWorkflow: (input: WorkflowStart) => {
      started.push(input);
      return Promise.resolve('started' as const);
    },
    log: capture.log,
    metrics: capture.metrics,
    now: () => options.now,
    poll: NO_WAIT,
    scope: { account: '111122223333', region: 'us-east-1' },
    ...options.overrides,
  };
  return { deps: deps as never as Parameters<typeof handleDetectorEvent>[1], started, ...capture };
}
