import { join } from 'node:path';
import { replayClients } from '../cli/simulate/replay-clients';
import { loadSnapshot } from '../cli/simulate/snapshot';
import type { CheckId } from '../core/catalogue';
import { NO_COUNTERS, SILENT_LOG } from '../core/observability';
import { loadPolicyFile } from '../core/policy/parse-policy';
import { detectResource } from '../detectors/detect';
import { DETECTORS } from '../detectors/index';
import { remediatorFor } from '../remediators/index';

const ROOT = join(__dirname, '..');

/** A noncompliant resource per check from the example snapshot. */
const SAMPLES: Record<CheckId, string> = {
  'dynamodb-table-encryption': 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
  'apigateway-stage-throttling': 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
  'apigateway-stage-waf': 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
  'lambda-function-env-secrets': 'arn:aws:lambda:us-east-1:111122223333:function:checkout',
};

/** Events evaluated per second per check, warm: fetch (recorded SDK responses), evaluate, decide, plan. */
export async function benchDetectors(iterations = 400): Promise<Record<CheckId, number>> {
  const snapshot = loadSnapshot(join(ROOT, 'examples/snapshot.json'));
  const clients = replayClients(snapshot);
  const policy = loadPolicyFile(join(ROOT, 'examples/policy.yaml')).policy;
  const rates = {} as Record<CheckId, number>;
  for (const [check, resourceArn] of Object.entries(SAMPLES) as [CheckId, string][]) {
    const remediator = remediatorFor(check);
    const deps = {
      detector: DETECTORS[check],
      clients,
      policy,
      organizationalUnits: [],
      plan: (finding: never, settings: never) => remediator.plan(finding, settings, { baselineWebAclArn: snapshot.baselineWebAclArn ?? '' }),
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
