import { join } from 'node:path';
import { replayClients } from '../cli/simulate/replay-clients';
import { loadSnapshot } from '../cli/simulate/snapshot';
import { loadEvents } from '../cli/simulate/load-events';
import { CATALOGUE, type CheckId } from '../core/catalogue';
import { routeEvent } from '../core/events/event-patterns';
import { extractResources } from '../core/events/extract-resources';
import { NO_COUNTERS, SILENT_LOG } from '../core/observability';
import { loadPolicyFile } from '../core/policy/parse-policy';
import { detectResource } from '../detectors/detect';
import { DETECTORS } from '../detectors/index';

const ROOT = join(__dirname, '..');

/** A resource per check: the first of the example events that Warden's rules route to the check names it. */
function samples(): [CheckId, string][] {
  const found = new Map<CheckId, string>();
  for (const { event } of loadEvents(join(ROOT, 'examples/events'), ROOT).events) {
    for (const check of routeEvent(event)) {
      const ref = found.has(check) ? undefined : extractResources(event, check).refs[0];
      if (ref) found.set(check, ref.resourceArn);
    }
  }
  return CATALOGUE.filter((check) => found.has(check.id)).map((check) => [check.id, found.get(check.id)!]);
}

/** Events evaluated per second per check, warm: fetch (recorded SDK responses), evaluate, decide (planning is the workflow's). */
export async function benchDetectors(iterations = 400): Promise<Record<CheckId, number>> {
  const snapshot = loadSnapshot(join(ROOT, 'examples/snapshot.json'));
  const clients = replayClients(snapshot);
  const policy = loadPolicyFile(join(ROOT, 'examples/policy.yaml')).policy;
  const rates = {} as Record<CheckId, number>;
  for (const [check, resourceArn] of samples()) {
    const deps = {
      detector: DETECTORS[check],
      clients,
      policy,
      organizationalUnits: [],
      startWorkflow: () => Promise.resolve('started' as const),
      log: SILENT_LOG,
      metrics: NO_COUNTERS,
      now: () => new Date(),
    };
    const ref = { check, account: snapshot.account, region: snapshot.region, resourceArn };
    for (let i = 0; i < 50; i += 1) await detectResource(ref, { kind: 'cloudtrail' }, deps);
    const started = performance.now();
    for (let i = 0; i < iterations; i += 1) await detectResource(ref, { kind: 'cloudtrail' }, deps);
    rates[check] = iterations / ((performance.now() - started) / 1000);
  }
  return rates;
}
