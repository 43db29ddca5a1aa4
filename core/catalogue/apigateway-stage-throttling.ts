import { apiGatewayStages } from '../events/cloudtrail-resources';
import { STAGE_ARN_TEMPLATE, STAGE_LISTING_TEMPLATES } from './arn-templates';
import type { CheckDefinition } from './types';
import { lazy } from '../policy/zod';

const DEFAULTS = { rateLimit: 100, burstLimit: 200 };

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) =>
  z
    .strictObject({
      rateLimit: z
        .number()
        .positive()
        .max(10_000)
        .default(DEFAULTS.rateLimit)
        .describe('Maximum steady-state requests per second for */*; the fix sets this value.'),
      burstLimit: z
        .number()
        .int()
        .positive()
        .max(5_000)
        .default(DEFAULTS.burstLimit)
        .describe('Maximum burst (token bucket size) for */*; the fix sets this value.'),
    })
    .describe('API Gateway stage throttling settings'),
);

export const apigatewayStageThrottling = {
  id: 'apigateway-stage-throttling',
  title: 'API Gateway REST API stages are throttled',
  noncompliantWhen: 'the REST API stage has no */* throttling (rate and burst limits), or its limits are above the policy maximums',
  fix: "UpdateStage patching /*/*/throttling/rateLimit and /*/*/throttling/burstLimit; undo, while the limits are still Warden's, restores the previous values or removes the */* setting Warden added",
  resourceType: 'AWS::ApiGateway::Stage',
  cloudTrail: [
    { eventSource: 'apigateway.amazonaws.com', eventNames: ['CreateStage', 'UpdateStage', 'CreateDeployment'], resources: apiGatewayStages },
  ],
  configResourceType: 'AWS::ApiGateway::Stage',
  clients: { detect: ['apigateway'], remediate: ['apigateway'] },
  permissions: {
    detect: [
      {
        actions: ['apigateway:GET'],
        resources: [...STAGE_LISTING_TEMPLATES],
      },
    ],
    remediate: [{ actions: ['apigateway:GET', 'apigateway:PATCH'], resources: [STAGE_ARN_TEMPLATE] }],
  },
  iacHint: {
    cloudFormation: 'AWS::ApiGateway::Stage MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit, ThrottlingBurstLimit }]',
    cdk: 'apigateway.RestApi deployOptions: { throttlingRateLimit, throttlingBurstLimit }',
  },
  defaultMode: 'auto',
  severity: 'medium',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
