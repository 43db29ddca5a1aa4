import { LambdaClient } from '@aws-sdk/client-lambda';
import { API_RATE_LIMITS, limitRate, rateBuckets } from '../core/aws/rate-limit';
import { parsePolicy } from '../core/policy/parse-policy';
import { CATALOGUE } from '../core/catalogue';
import { json, throttledApi } from './throttled-api';
import { timedSweep } from './timed-sweep';

/** The sweep measured is that of the check on Lambda functions: the mock below is Lambda's control plane. */
const FUNCTION_CHECK = CATALOGUE.find((check) => check.resourceType === 'AWS::Lambda::Function')!;

export interface SweepBench {
  readonly functions: number;
  /** The API families modelled: their limits, burst, latency and where the numbers come from. */
  readonly modelledLimits: Readonly<Record<string, { perSecond: number; burst: number; latencyMs: number; source: string }>>;
  /** What Warden may use of the Lambda control plane (half, by default): the rate the sweep aims at. */
  readonly allowedPerSecond: number;
  /** What the account's own tooling sends meanwhile, on the same shared limit. */
  readonly otherToolingPerSecond: number;
  readonly seconds: number;
  readonly wardenCalls: number;
  /** Warden's calls per second over its allowed rate: how close to its share the sweep runs. */
  readonly fractionOfLimit: number;
  readonly throttledCalls: number;
  readonly failedResources: number;
  /** The same sweep at 5,000 functions: measured when `functions` is 5,000, else scaled from this run's rate. */
  readonly secondsFor5000Functions: number;
}

/** A Lambda control plane call takes this long (typical; the bench states it). */
const LATENCY_MS = 40;
const NONCOMPLIANT_EVERY = 50;

/**
 * A sweep of `functions` Lambda functions (one in 50 with a plaintext secret) against a mocked Lambda
 * API that enforces the documented control plane limit (15/s, shared by every caller in the account)
 * with a real call's latency, while the account's own tooling sends `otherTooling` calls per second.
 * Warden limits itself client-side to its share; the mock throttles only what exceeds the whole limit.
 */
export async function benchSweep(functions = 5_000, otherTooling = 7): Promise<SweepBench> {
  const limit = API_RATE_LIMITS.lambda;
  const names = Array.from({ length: functions }, (_, index) => `fn-${String(index).padStart(5, '0')}`);
  const configuration = (name: string, index: number) => ({
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:us-east-1:111122223333:function:${name}`,
    Runtime: 'nodejs24.x',
    Role: 'arn:aws:iam::111122223333:role/app',
    Environment: {
      Variables: {
        STAGE: 'prod',
        TABLE_NAME: `orders-${index}`,
        LOG_LEVEL: 'info',
        ...(index % NONCOMPLIANT_EVERY === 0 ? { STRIPE_SECRET_KEY: `sk_live_51Hq2x9LmT4vB7nR1kP8sW3yZ${String(index).padStart(5, '0')}` } : {}),
      },
    },
  });
  // The account's own tooling, on the same limit: its calls are admitted or throttled like Warden's.
  const api = throttledApi(limit, LATENCY_MS, otherTooling, (request) => {
    if (request.path.startsWith('/2015-03-31/functions')) {
      const marker = typeof request.query?.['Marker'] === 'string' ? Number(request.query['Marker']) : 0;
      const page = names.slice(marker, marker + 50).map((name, offset) => configuration(name, marker + offset));
      return json(200, { Functions: page, ...(marker + 50 < names.length ? { NextMarker: String(marker + 50) } : {}) });
    }
    if (request.path.startsWith('/2017-03-31/tags/')) return json(200, { Tags: { team: 'payments' } });
    return json(404, { message: `no mock for ${request.path}` });
  });
  const requestHandler = api.requestHandler;
  const lambda = limitRate(
    new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 6, requestHandler }),
    rateBuckets().lambda,
  );
  const policy = parsePolicy(`version: 1\nchecks: { ${FUNCTION_CHECK.id}: { mode: report } }\n`, 'bench.yaml').policy;
  let result: Awaited<ReturnType<typeof timedSweep>>;
  try {
    result = await timedSweep(FUNCTION_CHECK.id, { lambda }, policy);
  } finally {
    api.stop();
  }
  const { seconds, failedResources } = result;
  const allowed = rateBuckets().lambda.perSecond;
  return {
    functions,
    modelledLimits: { lambda: { perSecond: limit.perSecond, burst: limit.burst, latencyMs: LATENCY_MS, source: limit.source } },
    allowedPerSecond: allowed,
    otherToolingPerSecond: otherTooling,
    seconds,
    wardenCalls: api.counts.wardenCalls,
    fractionOfLimit: api.counts.wardenCalls / seconds / allowed,
    throttledCalls: api.counts.throttled,
    failedResources,
    secondsFor5000Functions: functions === 5_000 ? seconds : (seconds * 5_000) / functions,
  };
}
