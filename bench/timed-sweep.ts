import type { AwsClients } from '../core/aws/clients';
import type { CheckId } from '../core/catalogue';
import { NO_COUNTERS, SILENT_LOG } from '../core/observability';
import type { Policy } from '../core/policy/schema';
import { DETECTORS } from '../detectors/index';
import { sweep } from '../detectors/sweep';

/**
 * One check's real sweep over the clients given (mocked APIs), timed: how long it took and how many
 * resources failed. A sweep with failures throws after counting them: the count is the answer.
 */
export async function timedSweep(
  check: CheckId,
  clients: Partial<AwsClients>,
  policy: Policy,
): Promise<{ seconds: number; failedResources: number }> {
  let failedResources = 0;
  const started = performance.now();
  try {
    await sweep(
      { account: '111122223333', region: 'us-east-1' },
      {
        detector: DETECTORS[check],
        clients: clients as AwsClients,
        policy,
        organizationalUnits: [],
        startWorkflow: () => Promise.resolve('started'),
        log: SILENT_LOG,
        metrics: { count: (name, value = 1) => void (name === 'SweepResourceFailed' ? (failedResources += value) : NO_COUNTERS.count(name)) },
        now: () => new Date(),
      },
    );
  } catch {
    // the failures are counted above
  }
  return { seconds: (performance.now() - started) / 1000, failedResources };
}
