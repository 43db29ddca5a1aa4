import type { Evaluation } from '../core/finding';
import { fetchStage, listStagePage, type StageState } from './apigateway-stage';
import type { Detector } from './detector';

/** API Gateway reports an unset limit as absent, or as -1 on some stages: both mean "no limit". */
function limit(value: number | undefined): number | undefined {
  return value === undefined || value < 0 ? undefined : value;
}

export const apigatewayStageThrottlingDetector: Detector<'apigateway-stage-throttling', StageState, 'apigateway'> = {
  check: 'apigateway-stage-throttling',

  fetch: (ref, clients) => fetchStage(clients.apigateway, ref.resourceArn),

  transitioning: () => false,

  async evaluate(state, settings): Promise<Evaluation> {
    const stage = `${state.restApiId}/${state.stageName}`;
    if (state.apiType === 'HTTP') {
      return { status: 'NOT_APPLICABLE', reason: `stage ${stage} belongs to an HTTP API; only REST API stages are judged`, evidence: { stage } };
    }
    const all = state.methodSettings['*/*'];
    const rateLimit = limit(all?.throttlingRateLimit);
    const burstLimit = limit(all?.throttlingBurstLimit);
    const judge = (where: string, rate: number | undefined, burst: number | undefined) => {
      const named = where === '*/*' ? '' : `${where} `;
      return [
        rate === undefined
          ? `no ${where} rate limit`
          : rate > settings.rateLimit
            ? `${named}rate limit ${rate} above ${settings.rateLimit}`
            : undefined,
        burst === undefined
          ? `no ${where} burst limit`
          : burst > settings.burstLimit
            ? `${named}burst limit ${burst} above ${settings.burstLimit}`
            : undefined,
      ].filter((problem): problem is string => problem !== undefined);
    };
    // A method's own settings replace */* for that method: higher limits, or none, let it past the stage's.
    const methodsOverLimit = Object.entries(state.methodSettings)
      .filter(([method]) => method !== '*/*')
      .map(([method, setting]) => ({
        method,
        rateLimit: limit(setting.throttlingRateLimit) ?? null,
        burstLimit: limit(setting.throttlingBurstLimit) ?? null,
      }))
      .filter((method) => judge(method.method, method.rateLimit ?? undefined, method.burstLimit ?? undefined).length > 0)
      .sort((a, b) => a.method.localeCompare(b.method));
    const evidence = {
      stage,
      rateLimit: rateLimit ?? null,
      burstLimit: burstLimit ?? null,
      maxRateLimit: settings.rateLimit,
      maxBurstLimit: settings.burstLimit,
      ...(methodsOverLimit.length > 0 ? { methodsOverLimit } : {}),
    };
    const problems = [
      ...judge('*/*', rateLimit, burstLimit),
      ...methodsOverLimit.flatMap((method) => judge(`method ${method.method}`, method.rateLimit ?? undefined, method.burstLimit ?? undefined)),
    ];
    if (problems.length > 0) return { status: 'NON_COMPLIANT', reason: `stage ${stage}: ${problems.join(', ')}`, evidence };
    return { status: 'COMPLIANT', reason: `stage ${stage} is throttled within the policy limits`, evidence };
  },

  // The sweep judges each stage from its API's GetStages answer: no GetStage per stage.
  listPage: (clients, scope, cursor) => listStagePage(clients.apigateway, 'apigateway-stage-throttling', scope, cursor),
};
