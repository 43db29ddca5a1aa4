import { APIGatewayClient, GetAccountCommand, GetRestApisCommand, GetStageCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apigatewayStageAccessLogging } from '../../../core/catalogue/apigateway-stage-access-logging';
import { apigatewayStageAccessLoggingDetector as detector } from '../../../detectors/apigateway-stage-access-logging';
import { apiFixture } from '../../support/fixtures';

const apigateway = mockClient(APIGatewayClient);
// A client per test: the detector remembers the account's role per client for a minute.
let clients: { apigateway: APIGatewayClient };
const ARN = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod';
const ref = { check: 'apigateway-stage-access-logging' as const, account: '111122223333', region: 'us-east-1', resourceArn: ARN };
const settings = apigatewayStageAccessLogging.settings.parse({});
const ROLE = 'arn:aws:iam::111122223333:role/apigateway-cloudwatch';
const LOGS = 'arn:aws:logs:us-east-1:111122223333:log-group:api-access';

beforeEach(() => {
  apigateway.reset();
  clients = { apigateway: new APIGatewayClient({ region: 'us-east-1' }) };
});

async function judge(stage: object, account: object = { cloudwatchRoleArn: ROLE }) {
  apigateway.on(GetStageCommand).resolves(stage);
  apigateway.on(GetAccountCommand).resolves(account);
  const state = await detector.fetch(ref, clients, settings);
  if (!state) throw new Error('expected a state');
  return detector.evaluate(state, settings);
}

describe('apigateway-stage-access-logging detector', () => {
  it("finds a stage without access logs noncompliant, with the account's CloudWatch role for the plan", async () => {
    expect(await judge(apiFixture('apigateway-get-stage-no-method-settings'))).toMatchObject({
      status: 'NON_COMPLIANT',
      evidence: { restApiId: 'a1b2c3d4e5', stageName: 'prod', cloudWatchRoleArn: ROLE },
    });
  });

  it('says when the account has no API Gateway CloudWatch role', async () => {
    const evaluation = await judge(apiFixture('apigateway-get-stage-no-method-settings'), {
      throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
    });
    expect(evaluation.evidence).toMatchObject({ cloudWatchRoleArn: null });
  });

  it('accepts a stage that writes access logs, without reading the account', async () => {
    const stage = {
      ...apiFixture('apigateway-get-stage-no-method-settings'),
      accessLogSettings: { destinationArn: LOGS, format: '$context.requestId' },
    };
    expect(await judge(stage)).toMatchObject({ status: 'COMPLIANT', evidence: { accessLogDestinationArn: LOGS } });
    expect(apigateway).not.toHaveReceivedCommand(GetAccountCommand);
  });

  it('judges an HTTP API stage not applicable', async () => {
    const state = await detector.fetch({ ...ref, resourceArn: 'arn:aws:apigateway:us-east-1::/apis/x1y2z3/stages/$default' }, clients, settings);
    expect((await detector.evaluate(state!, settings)).status).toBe('NOT_APPLICABLE');
  });

  it("sweeps from GetStages and reads the account's role only for stages that write no access logs", async () => {
    apigateway.on(GetRestApisCommand).resolves({ items: [{ id: 'a1b2c3d4e5' }] });
    apigateway.on(GetStagesCommand).resolves({ item: [apiFixture('apigateway-get-stage-no-method-settings')] });
    apigateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: ROLE });
    const page = await detector.listPage(clients, { account: '111122223333', region: 'us-east-1' });
    const completed = await detector.complete!(page.items[0]!.state!, page.items[0]!.ref, clients);
    expect(completed).toMatchObject({ cloudWatchRoleArn: ROLE });
    expect(apigateway).not.toHaveReceivedCommand(GetStageCommand);
  });

  it("reads the account's role once for the stages a sweep step judges, and again after a failed read", async () => {
    apigateway.on(GetRestApisCommand).resolves({ items: [{ id: 'a1b2c3d4e5' }] });
    const stage = apiFixture<Record<string, unknown>>('apigateway-get-stage-no-method-settings');
    apigateway.on(GetStagesCommand).resolves({ item: [stage, { ...stage, stageName: 'dev' }] });
    apigateway
      .on(GetAccountCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }))
      .resolves({ cloudwatchRoleArn: ROLE });
    const page = await detector.listPage(clients, { account: '111122223333', region: 'us-east-1' });
    const [first, second] = page.items;
    await expect(detector.complete!(first!.state!, first!.ref, clients)).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    for (const item of [first!, second!])
      await expect(detector.complete!(item.state!, item.ref, clients)).resolves.toMatchObject({ cloudWatchRoleArn: ROLE });
    expect(apigateway).toHaveReceivedCommandTimes(GetAccountCommand, 2);
  });

  it('refuses a format without the request id API Gateway requires, at policy validation', () => {
    expect(apigatewayStageAccessLogging.settings.safeParse({ format: '$context.status' }).success).toBe(false);
  });
});
