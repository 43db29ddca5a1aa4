import { partitionOf } from '../aws/arns';
import type { CloudTrailResources } from '../events/cloudtrail-resources';
import type { CheckDefinition } from './types';
import { lazy } from '../policy/zod';

/** `arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5`: API Gateway's ARNs carry no account. */
export function restApiArn(region: string, restApiId: string): string {
  return `arn:${partitionOf(region)}:apigateway:${region}::/restapis/${restApiId}`;
}

/** The REST API id of its ARN (not of a stage's or a resource's). */
export function restApiIdOf(arn: string): string | undefined {
  return /^arn:[^:]+:apigateway:[^:]+::\/restapis\/([^/]+)$/.exec(arn)?.[1];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** API Gateway: the REST API a call changed (its id in the request) or created from a definition (in the response). */
const restApis: CloudTrailResources = ({ request, response, region }) => {
  const id = str(request['restApiId']) ?? str(response['id']);
  return id ? [restApiArn(region, id)] : [];
};

const DEFAULTS = {};

/** No settings: a method's authorization is a design decision Warden reports, never makes. */
const SETTINGS = lazy((z) => z.strictObject({}).describe('API Gateway method authorization settings (none)'));

export const apigatewayMethodAuthorization = {
  id: 'apigateway-method-authorization',
  title: 'REST API methods require authorization',
  noncompliantWhen: 'a REST API method other than OPTIONS has authorizationType NONE and apiKeyRequired false: anyone can call it',
  fix: 'no safe automatic fix (which authorizer fits is for the API owner to design): a ticket naming each open method and path, with the choices',
  resourceType: 'AWS::ApiGateway::RestApi',
  cloudTrail: [
    { eventSource: 'apigateway.amazonaws.com', eventNames: ['PutMethod', 'UpdateMethod', 'PutRestApi', 'ImportRestApi'], resources: restApis },
  ],
  configResourceType: 'AWS::ApiGateway::RestApi',
  clients: { detect: ['apigateway'], remediate: ['apigateway'] },
  permissions: {
    detect: [
      {
        actions: ['apigateway:GET'],
        resources: ['arn:{partition}:apigateway:{region}::/restapis', 'arn:{partition}:apigateway:{region}::/restapis/*'],
      },
    ],
    // Verify re-reads the API; the fix changes nothing.
    remediate: [{ actions: ['apigateway:GET'], resources: ['arn:{partition}:apigateway:{region}::/restapis/*'] }],
  },
  evidenceItems: (evidence: Readonly<Record<string, unknown>>) => ({
    label: 'Open methods',
    items: (Array.isArray(evidence['openMethods']) ? (evidence['openMethods'] as { httpMethod: string; path: string }[]) : []).map(
      ({ httpMethod, path }) => ({ name: `${httpMethod} ${path}`, detail: 'authorizationType NONE, no API key' }),
    ),
  }),
  iacHint: {
    cloudFormation: 'AWS::ApiGateway::Method AuthorizationType (AWS_IAM, COGNITO_USER_POOLS or CUSTOM with AuthorizerId) or ApiKeyRequired: true',
    cdk: 'apigateway.RestApi defaultMethodOptions: { authorizationType, authorizer } (or apiKeyRequired: true)',
  },
  defaultMode: 'ticket',
  severity: 'high',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
