import { RETENTION_DAYS } from '../aws/log-retention';
import { apiGatewayStages } from '../events/cloudtrail-resources';
import { STAGE_ARN_TEMPLATE, STAGE_LISTING_TEMPLATES } from './arn-templates';
import type { CheckDefinition } from './types';
import { lazy } from '../policy/zod';

/** Where the fix's log groups go: one per stage, named so Warden's own grant covers exactly them. */
export const ACCESS_LOG_PREFIX = '/aws/apigateway/access-logs/';
const ACCESS_LOG_GROUP = `arn:{partition}:logs:{region}:{account}:log-group:${ACCESS_LOG_PREFIX}*`;
const ACCOUNT_SETTINGS = 'arn:{partition}:apigateway:{region}::/account';

/** A JSON line per request, with the fields an investigation needs first (no headers, no bodies). */
const DEFAULT_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  errorMessage: '$context.error.message',
});

const DEFAULTS = { retentionInDays: 365 as const, format: DEFAULT_FORMAT };

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) =>
  z
    .strictObject({
      retentionInDays: z
        .literal(RETENTION_DAYS)
        .default(DEFAULTS.retentionInDays)
        .describe('How long the log group the fix creates keeps access logs, in days (one of the periods CloudWatch Logs accepts).'),
      format: z
        .string()
        .regex(
          /\$context\.(requestId|extendedRequestId)/,
          'the format must contain $context.requestId or $context.extendedRequestId, as API Gateway requires',
        )
        .default(DEFAULTS.format)
        .describe(
          'The access log format the fix sets ($context variables; API Gateway requires $context.requestId or $context.extendedRequestId in it).',
        ),
    })
    .describe('API Gateway stage access logging settings'),
);

export const apigatewayStageAccessLogging = {
  id: 'apigateway-stage-access-logging',
  title: 'REST API stages write access logs',
  noncompliantWhen: 'the REST API stage has no accessLogSettings (no destination for its access logs)',
  fix:
    `CreateLogGroup ${ACCESS_LOG_PREFIX}<api>/<stage> with the policy's retention, then UpdateStage accessLogSettings to it with the policy's format; ` +
    "refused, with what is needed, when the account has no API Gateway CloudWatch role; undo removes the stage's accessLogSettings (the log group and its logs stay)",
  resourceType: 'AWS::ApiGateway::Stage',
  cloudTrail: [
    { eventSource: 'apigateway.amazonaws.com', eventNames: ['CreateStage', 'UpdateStage', 'CreateDeployment'], resources: apiGatewayStages },
  ],
  configResourceType: 'AWS::ApiGateway::Stage',
  clients: { detect: ['apigateway'], remediate: ['apigateway', 'logs'] },
  permissions: {
    detect: [{ actions: ['apigateway:GET'], resources: [...STAGE_LISTING_TEMPLATES, ACCOUNT_SETTINGS] }],
    remediate: [
      { actions: ['apigateway:GET', 'apigateway:PATCH'], resources: [STAGE_ARN_TEMPLATE] },
      { actions: ['apigateway:GET'], resources: [ACCOUNT_SETTINGS] },
      { actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:TagResource'], resources: [ACCESS_LOG_GROUP] },
    ],
  },
  iacHint: {
    cloudFormation: 'AWS::ApiGateway::Stage AccessLogSetting: { DestinationArn, Format }',
    cdk: 'apigateway.RestApi deployOptions: { accessLogDestination: new apigateway.LogGroupLogDestination(logGroup), accessLogFormat }',
  },
  defaultMode: 'auto',
  severity: 'medium',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
