import { APIGatewayClient, GetRestApisCommand, GetStageCommand, GetStagesCommand, NotFoundException } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apigatewayStageThrottlingDetector as detector } from '../../../detectors/apigateway-stage-throttling';
import { apiFixture } from '../../support/fixtures';
import { listedArns, listedStates } from '../../support/listed';

const apigateway = mockClient(APIGatewayClient);
const clients = { apigateway: new APIGatewayClient({ region: 'us-east-1' }) };
const arn = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev';
const ref = { check: 'apigateway-stage-throttling' as const, account: '111122223333', region: 'us-east-1', resourceArn: arn };
const settings = { rateLimit: 100, burstLimit: 200 };

beforeEach(() => apigateway.reset());

async function judge(stage: string, limits = settings) {
  apigateway.on(GetStageCommand, { restApiId: 'a1b2c3d4e5', stageName: 'dev' }).resolves(apiFixture(stage));
  const state = await detector.fetch(ref, clients, limits);
  if (!state) throw new Error('expected a state');
  return { state, evaluation: await detector.evaluate(state, limits) };
}

describe('apigateway-stage-throttling detector', () => {
  it.each([
    [
      'higher limits',
      { throttlingRateLimit: 5000, throttlingBurstLimit: 10000 },
      'method ~1orders/POST rate limit 5000 above 100, method ~1orders/POST burst limit 10000 above 200',
    ],
    [
      'no limits (-1)',
      { throttlingRateLimit: -1, throttlingBurstLimit: -1 },
      'no method ~1orders/POST rate limit, no method ~1orders/POST burst limit',
    ],
  ])('finds a stage noncompliant when one method overrides */* with %s', async (_case, method, reason) => {
    const stage = apiFixture<{ methodSettings: Record<string, unknown> }>('apigateway-get-stage-compliant');
    apigateway
      .on(GetStageCommand)
      .resolves({ ...stage, methodSettings: { ...stage.methodSettings, '~1orders/POST': { metricsEnabled: false, ...method } } });
    const state = await detector.fetch(ref, clients, settings);
    const evaluation = await detector.evaluate(state!, settings);
    expect(evaluation).toMatchObject({ status: 'NON_COMPLIANT', reason: `stage a1b2c3d4e5/dev: ${reason}` });
  });

  it('finds a stage with no */* method settings noncompliant', async () => {
    const { evaluation } = await judge('apigateway-get-stage-no-method-settings');
    expect(evaluation.status).toBe('NON_COMPLIANT');
    expect(evaluation.reason).toBe('stage a1b2c3d4e5/dev: no */* rate limit, no */* burst limit');
    expect(evaluation.evidence).toMatchObject({ rateLimit: null, burstLimit: null, maxRateLimit: 100, maxBurstLimit: 200 });
  });

  it('finds limits above the policy maximums noncompliant', async () => {
    const { evaluation } = await judge('apigateway-get-stage-throttled-500');
    expect(evaluation.status).toBe('NON_COMPLIANT');
    expect(evaluation.reason).toBe(
      'stage a1b2c3d4e5/dev: rate limit 500 above 100, burst limit 1000 above 200, method ~1resource/GET rate limit 500 above 100, method ~1resource/GET burst limit 1000 above 200',
    );
    expect(evaluation.evidence['methodsOverLimit']).toEqual([{ method: '~1resource/GET', rateLimit: 500, burstLimit: 1000 }]);
  });

  it('accepts limits at or below the maximums, and reads the stage tags', async () => {
    const { state, evaluation } = await judge('apigateway-get-stage-compliant');
    expect(evaluation.status).toBe('COMPLIANT');
    expect(state.tags).toEqual({ team: 'payments' });
    expect((await judge('apigateway-get-stage-throttled-500', { rateLimit: 500, burstLimit: 1000 })).evaluation.status).toBe('COMPLIANT');
  });

  it('treats -1 (unlimited) as no limit', async () => {
    const stage = apiFixture<{ methodSettings: Record<string, Record<string, unknown>> }>('apigateway-get-stage-compliant');
    stage.methodSettings['*/*'] = { ...stage.methodSettings['*/*'], throttlingRateLimit: -1 };
    apigateway.on(GetStageCommand).resolves(stage);
    const state = await detector.fetch(ref, clients, settings);
    expect(state && (await detector.evaluate(state, settings)).reason).toBe('stage a1b2c3d4e5/dev: no */* rate limit');
  });

  it('judges HTTP API (v2) stages not applicable without calling the REST API', async () => {
    const state = await detector.fetch({ ...ref, resourceArn: 'arn:aws:apigateway:us-east-1::/apis/x1y2z3/stages/$default' }, clients, settings);
    expect(state && (await detector.evaluate(state, settings)).status).toBe('NOT_APPLICABLE');
    expect(apigateway).not.toHaveReceivedCommand(GetStageCommand);
  });

  it('treats a deleted stage as no finding', async () => {
    apigateway.on(GetStageCommand).rejects(new NotFoundException({ message: 'Invalid stage identifier specified', $metadata: {} }));
    await expect(detector.fetch(ref, clients, settings)).resolves.toBeUndefined();
  });

  it.each(['AccessDeniedException', 'TooManyRequestsException'])('propagates %s', async (name) => {
    apigateway.on(GetStageCommand).rejects(Object.assign(new Error(name), { name }));
    await expect(detector.fetch(ref, clients, settings)).rejects.toMatchObject({ name });
  });

  it('lists every stage of every REST API across pages', async () => {
    apigateway
      .on(GetRestApisCommand)
      .resolvesOnce({ items: [{ id: 'api1' }], position: 'p2' })
      .resolvesOnce({ items: [{ id: 'api2' }] });
    apigateway.on(GetStagesCommand, { restApiId: 'api1' }).resolves({ item: [{ stageName: 'dev' }, { stageName: 'prod' }] });
    apigateway.on(GetStagesCommand, { restApiId: 'api2' }).resolves({ item: [{ stageName: 'v1' }] });
    const arns = [];
    arns.push(...(await listedArns(detector, clients, { account: '111122223333', region: 'us-east-1' })));
    expect(arns).toEqual([
      'arn:aws:apigateway:us-east-1::/restapis/api1/stages/dev',
      'arn:aws:apigateway:us-east-1::/restapis/api1/stages/prod',
      'arn:aws:apigateway:us-east-1::/restapis/api2/stages/v1',
    ]);
  });

  it("judges the sweep from GetStages' answers, which carry each stage whole: no GetStage per stage", async () => {
    apigateway.on(GetRestApisCommand).resolves({ items: [{ id: 'a1b2c3d4e5' }] });
    apigateway.on(GetStagesCommand, { restApiId: 'a1b2c3d4e5' }).resolves({
      item: [apiFixture('apigateway-get-stage-compliant'), apiFixture('apigateway-get-stage-no-method-settings')],
    });
    const judged = [];
    for (const { state } of await listedStates(detector, clients, { account: '111122223333', region: 'us-east-1' })) {
      judged.push((await detector.evaluate(state, settings)).status);
    }
    expect(judged).toEqual(['COMPLIANT', 'NON_COMPLIANT']);
    expect(apigateway).not.toHaveReceivedCommand(GetStageCommand);
  });
});
