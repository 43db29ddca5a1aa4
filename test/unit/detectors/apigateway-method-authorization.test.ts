import { APIGatewayClient, GetResourcesCommand, GetRestApiCommand, GetRestApisCommand, NotFoundException } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apigatewayMethodAuthorization, restApiIdOf } from '../../../core/catalogue/apigateway-method-authorization';
import { apigatewayMethodAuthorizationDetector as detector } from '../../../detectors/apigateway-method-authorization';
import { apiFixture } from '../../support/fixtures';
import { listedArns } from '../../support/listed';

const apigateway = mockClient(APIGatewayClient);
const clients = { apigateway: new APIGatewayClient({ region: 'us-east-1' }) };
const ARN = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5';
const ref = { check: 'apigateway-method-authorization' as const, account: '111122223333', region: 'us-east-1', resourceArn: ARN };
const settings = apigatewayMethodAuthorization.settings.parse({});

beforeEach(() => apigateway.reset());

async function judge(answer: object) {
  apigateway.on(GetResourcesCommand).resolves(answer);
  const state = await detector.fetch(ref, clients, settings);
  if (!state) throw new Error('expected a state');
  return { state, evaluation: await detector.evaluate(state, settings) };
}

describe('apigateway-method-authorization detector', () => {
  it('names each method anyone can call; OPTIONS, authorized methods and those that need an API key are not', async () => {
    const { evaluation } = await judge(apiFixture('apigateway-get-resources-open'));
    expect(evaluation).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: 'REST API a1b2c3d4e5 has 2 methods anyone can call (no authorization, no API key): GET /, POST /orders',
      evidence: {
        methods: 5,
        openCount: 2,
        openMethods: [
          { httpMethod: 'GET', path: '/' },
          { httpMethod: 'POST', path: '/orders' },
        ],
      },
    });
    expect(apigateway).toHaveReceivedCommandWith(GetResourcesCommand, { restApiId: 'a1b2c3d4e5', embed: ['methods'], limit: 500 });
  });

  it('accepts an API whose methods all require IAM, a Cognito user pool, a Lambda authorizer or an API key', async () => {
    expect((await judge(apiFixture('apigateway-get-resources-authorized'))).evaluation.status).toBe('COMPLIANT');
  });

  it('judges an API without methods not applicable', async () => {
    expect((await judge({ items: [{ id: 'k2n4p6r8t0', path: '/' }] })).evaluation.status).toBe('NOT_APPLICABLE');
  });

  it('reads every page of resources', async () => {
    const [root, orders] = apiFixture<{ items: object[] }>('apigateway-get-resources-open').items;
    apigateway
      .on(GetResourcesCommand)
      .resolvesOnce({ items: [root!], position: 'p2' })
      .resolvesOnce({ items: [orders!] });
    const state = await detector.fetch(ref, clients, settings);
    expect(state?.openMethods).toHaveLength(2);
    expect(apigateway).toHaveReceivedCommandWith(GetResourcesCommand, { restApiId: 'a1b2c3d4e5', embed: ['methods'], limit: 500, position: 'p2' });
  });

  it('reports a deleted API as gone, and judges no ARN that is not an API', async () => {
    apigateway.on(GetResourcesCommand).rejects(new NotFoundException({ message: 'Invalid API identifier specified', $metadata: {} }));
    await expect(detector.fetch(ref, clients, settings)).resolves.toBeUndefined();
    expect(restApiIdOf('arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod')).toBeUndefined();
  });

  it('lets access denied through, to be logged and counted by detection', async () => {
    apigateway
      .on(GetResourcesCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform: apigateway:GET'), { name: 'AccessDeniedException' }));
    await expect(detector.fetch(ref, clients, settings)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it("reads the API's tags only when asked", async () => {
    apigateway.on(GetRestApiCommand).resolves({ id: 'a1b2c3d4e5', name: 'shop', tags: { team: 'shop' } });
    const { state } = await judge(apiFixture('apigateway-get-resources-open'));
    expect(apigateway).not.toHaveReceivedCommand(GetRestApiCommand);
    await expect(detector.tagsOf!(state, clients)).resolves.toEqual({ team: 'shop' });
  });

  it('sweeps every REST API of the region, page by page', async () => {
    apigateway
      .on(GetRestApisCommand)
      .resolvesOnce({ items: [{ id: 'a1b2c3d4e5' }], position: 'p2' })
      .resolvesOnce({ items: [{ id: 'f6g7h8i9j0' }] });
    expect(await listedArns(detector, clients, { account: '111122223333', region: 'us-east-1' })).toEqual([
      ARN,
      'arn:aws:apigateway:us-east-1::/restapis/f6g7h8i9j0',
    ]);
    expect(apigateway).toHaveReceivedCommandWith(GetRestApisCommand, { limit: 500, position: 'p2' });
  });
});
