import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { WardenFunction } from './warden-function';
import { BaselineWebAcl } from './baseline-web-acl';

/** The largest body the approvals endpoint accepts (its web ACL inspects bodies up to 16 KB). */
export const APPROVALS_MAX_BODY_BYTES = 16 * 1024;

/**
 * Slack's interactivity endpoint, held to what Warden enforces: a REST API stage throttled for all methods,
 * a WAF web ACL (AWS managed rules, a per-IP rate limit and a body size limit), access logs, tracing,
 * and required signature headers checked before the handler runs.
 */
export class ApprovalsApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly url: string;

  constructor(scope: Construct, id: string, props: { handler: WardenFunction }) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: 'warden-approvals',
      description: 'Warden: Slack interactivity (Approve / Reject)',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: 10,
        throttlingBurstLimit: 20,
        tracingEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.INFO,
        dataTraceEnabled: false,
        metricsEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const validator = this.api.addRequestValidator('SignatureHeaders', { validateRequestParameters: true, validateRequestBody: true });
    this.api.root
      .addResource('slack')
      .addResource('interactions')
      .addMethod('POST', new apigateway.LambdaIntegration(props.handler.function, { timeout: Duration.seconds(10) }), {
        requestValidator: validator,
        requestParameters: { 'method.request.header.X-Slack-Signature': true, 'method.request.header.X-Slack-Request-Timestamp': true },
      });
    // Slack's interaction payloads carry the whole message and can pass the Common Rule Set's 8 KB body
    // rule: it only counts here, and the ACL's own 16 KB size rule bounds the body instead.
    const webAcl = new BaselineWebAcl(this, 'Waf', {
      name: 'warden-approvals',
      rateLimitPer5Minutes: 300,
      maxBodyBytes: APPROVALS_MAX_BODY_BYTES,
      countCommonRules: ['SizeRestrictions_BODY'],
    });
    new wafv2.CfnWebACLAssociation(this, 'WafAssociation', { resourceArn: this.api.deploymentStage.stageArn, webAclArn: webAcl.webAcl.attrArn });
    this.url = this.api.urlForPath('/slack/interactions');

    const why =
      'Slack cannot use IAM or Cognito: every request is authenticated by its Slack signature (HMAC-SHA256 over the raw body, 5-minute window), verified in constant time before anything else';
    Validations.of(this.api).acknowledge({ id: 'AwsSolutions-APIG4', reason: why });
    Validations.of(this.api).acknowledge({ id: 'AwsSolutions-COG4', reason: why });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: "API Gateway's account-level logging role needs AWS's own log-push policy (the only managed policy Warden uses)",
    });
  }
}
