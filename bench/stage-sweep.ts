import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { API_RATE_LIMITS, limitRate, rateBuckets } from '../core/aws/rate-limit';
import { CATALOGUE } from '../core/catalogue';
import { parsePolicy } from '../core/policy/parse-policy';
import { json, throttledApi } from './throttled-api';
import { timedSweep } from './timed-sweep';

/** The checks on REST API stages, found by resource type: each sweeps the same GetRestApis and GetStages. */
const STAGE_CHECKS = CATALOGUE.filter((check) => check.resourceType === 'AWS::ApiGateway::Stage');

/** An API Gateway management call takes this long (typical; the bench states it). */
const LATENCY_MS = 60;
const STAGES_PER_API = 2;
const NONCOMPLIANT_EVERY = 50;
const LOG_GROUP = 'arn:aws:logs:us-east-1:111122223333:log-group:api-access';
const WEB_ACL = 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/team/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

export interface StageSweepBench {
  readonly stages: number;
  readonly limit: { perSecond: number; burst: number; latencyMs: number; source: string };
  readonly allowedPerSecond: number;
  readonly otherToolingPerSecond: number;
  /** Each stage check's sweep, one after the other as their schedules stagger them. */
  readonly checks: readonly {
    readonly check: string;
    readonly seconds: number;
    readonly apiGatewayCalls: number;
    readonly wafCalls: number;
    /** The sustained rate (the calls after the bucket's burst) over Warden's share of the limit. */
    readonly fractionOfLimit: number;
    readonly throttledCalls: number;
    readonly failedResources: number;
    /** At 2,000 stages: measured when `stages` is 2,000, else scaled from this run's rate (calls grow with the APIs). */
    readonly secondsFor2000Stages: number;
  }[];
}

/**
 * Each REST API stage check sweeping `stages` stages (two per API; one in 50 without throttling, a web
 * ACL or access logs) against a mocked API Gateway that enforces the documented management limit (10/s, burst 40,
 * shared by every caller in the account) while the account's tooling sends `otherTooling` calls a second.
 */
export async function benchStageSweep(stages = 300, otherTooling = 4): Promise<StageSweepBench> {
  const limit = API_RATE_LIMITS.apigateway;
  const apis = Array.from({ length: Math.ceil(stages / STAGES_PER_API) }, (_, index) => `api${String(index).padStart(5, '0')}`);
  const stage = (api: number, index: number) => {
    const open = (api * STAGES_PER_API + index) % NONCOMPLIANT_EVERY === 0;
    return {
      stageName: `s${index}`,
      deploymentId: 'd1',
      methodSettings: open ? {} : { '*/*': { throttlingRateLimit: 100, throttlingBurstLimit: 200 } },
      tags: { team: 'payments' },
      ...(open ? {} : { webAclArn: WEB_ACL, accessLogSettings: { destinationArn: LOG_GROUP, format: '$context.requestId' } }),
    };
  };
  const policy = parsePolicy(`version: 1\ndefaults: { mode: report }\n`, 'bench.yaml').policy;
  const results: StageSweepBench['checks'][number][] = [];
  for (const check of STAGE_CHECKS) {
    const api = throttledApi(limit, LATENCY_MS, otherTooling, (request) => {
      if (request.path === '/restapis') {
        const position = typeof request.query?.['position'] === 'string' ? Number(request.query['position']) : 0;
        const size = Number(request.query?.['limit'] ?? 25);
        const page = apis.slice(position, position + size).map((id) => ({ id, name: id }));
        return json(200, { item: page, ...(position + size < apis.length ? { position: String(position + size) } : {}) });
      }
      // The account's CloudWatch role (the access logging check asks once per sweep step).
      if (request.path === '/account') return json(200, { cloudwatchRoleArn: 'arn:aws:iam::111122223333:role/apigateway-cloudwatch' });
      const stagesOf = /^\/restapis\/api(\d+)\/stages$/.exec(request.path);
      if (stagesOf) return json(200, { item: Array.from({ length: STAGES_PER_API }, (_, index) => stage(Number(stagesOf[1]), index)) });
      return json(404, { message: `no mock for ${request.path}` });
    });
    let wafCalls = 0;
    // WAF's own quota is not modelled: it is asked only about the stages that name no web ACL.
    const waf = {
      async handle() {
        wafCalls += 1;
        await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
        return json(200, {}, { 'content-type': 'application/x-amz-json-1.1' });
      },
    };
    const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
    const clients = {
      apigateway: limitRate(
        new APIGatewayClient({ region: 'us-east-1', credentials, maxAttempts: 6, requestHandler: api.requestHandler }),
        rateBuckets().apigateway,
      ),
      wafv2: new WAFV2Client({ region: 'us-east-1', credentials, requestHandler: waf }),
    };
    let result: Awaited<ReturnType<typeof timedSweep>>;
    try {
      result = await timedSweep(check.id, clients, policy);
    } finally {
      api.stop();
    }
    const { seconds, failedResources } = result;
    // The bucket's burst is spent in the first moments: the sustained rate is over the calls after it,
    // and 2,000 stages take their calls (which grow with the APIs) at that rate, with no burst counted.
    const bucket = rateBuckets().apigateway;
    const sustained = (api.counts.wardenCalls - bucket.burst) / seconds;
    results.push({
      check: check.id,
      seconds,
      apiGatewayCalls: api.counts.wardenCalls,
      wafCalls,
      fractionOfLimit: sustained / bucket.perSecond,
      throttledCalls: api.counts.throttled,
      failedResources,
      secondsFor2000Stages: stages === 2_000 ? seconds : (api.counts.wardenCalls * (2_000 / stages)) / sustained,
    });
  }
  return {
    stages,
    limit: { perSecond: limit.perSecond, burst: limit.burst, latencyMs: LATENCY_MS, source: limit.source },
    allowedPerSecond: rateBuckets().apigateway.perSecond,
    otherToolingPerSecond: otherTooling,
    checks: results,
  };
}
