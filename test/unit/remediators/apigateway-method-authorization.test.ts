import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apigatewayMethodAuthorization } from '../../../core/catalogue/apigateway-method-authorization';
import { apigatewayMethodAuthorizationRemediator as remediator } from '../../../remediators/apigateway-method-authorization';
import { findingFor } from '../../support/findings';

const apigateway = mockClient(APIGatewayClient);
const ref = {
  check: 'apigateway-method-authorization' as const,
  account: '111122223333',
  region: 'us-east-1',
  resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5',
};
const settings = apigatewayMethodAuthorization.settings.parse({});

describe('apigateway-method-authorization remediator', () => {
  it('plans no call, so the workflow tickets it, and the ticket names each open method and the choices', () => {
    const finding = findingFor(ref, {
      reason: 'REST API a1b2c3d4e5 has 2 methods anyone can call',
      evidence: {
        openCount: 2,
        openMethods: [
          { httpMethod: 'GET', path: '/' },
          { httpMethod: 'POST', path: '/orders' },
        ],
      },
    });
    const plan = remediator.plan(finding, settings, {});
    expect(plan.calls).toEqual([]);
    expect(plan.notes[0]).toBe('Open to anyone: GET /, POST /orders.');
    expect(plan.notes[1]).toMatch(/AWS_IAM .* Cognito user pool .* Lambda authorizer .* apiKeyRequired/);
    expect(apigateway).not.toHaveReceivedAnyCommand();
  });

  it('says how many more methods are open than the finding names', () => {
    const finding = findingFor(ref, { reason: 'open', evidence: { openCount: 60, openMethods: [{ httpMethod: 'GET', path: '/' }] } });
    expect(remediator.plan(finding, settings, {}).notes[0]).toBe('Open to anyone: GET / and 59 more.');
  });

  it('has nothing to undo', async () => {
    await expect(remediator.reviewUndo(undefined as never, { apigateway: new APIGatewayClient({ region: 'us-east-1' }) })).rejects.toThrow(
      /made no change to undo/,
    );
  });
});
