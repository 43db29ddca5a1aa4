import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateAccountCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssociateWebACLCommand, CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { stageArn } from '../../core/aws/arns';
import { MOTO_ACCOUNT } from './moto';

/** A value shaped like a live Stripe key, planted to prove no secret value leaves the detector. */
export const CANARY_SECRET = 'sk_live_51HqkTgJ8mC7fQ2xYk3RzLpW9vNbA0dE4canary';

/** An empty deployment package (a valid zip with no entries): moto stores it, nothing runs it. */
const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

/**
 * Provisions, through the SDK and the standard endpoint configuration, one noncompliant and one
 * compliant resource per check, as a user's account would have them.
 */
export async function provisionSampleAccount(region: string) {
  const config = { region };
  const dynamodb = new DynamoDBClient(config);
  const kms = new KMSClient(config);
  const apigateway = new APIGatewayClient(config);
  const wafv2 = new WAFV2Client(config);
  const lambda = new LambdaClient(config);
  const iam = new IAMClient(config);
  const sqs = new SQSClient(config);
  const logs = new CloudWatchLogsClient(config);
  const sns = new SNSClient(config);

  const key = await kms.send(new CreateKeyCommand({ Description: 'application data key' }));
  const table = (name: string, kmsKeyArn?: string) =>
    dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ...(kmsKeyArn ? { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: kmsKeyArn } } : {}),
      }),
    );
  const orders = await table('orders');
  const ledger = await table('ledger', key.KeyMetadata?.Arn);

  const { id: restApiId = '' } = await apigateway.send(new CreateRestApiCommand({ name: 'shop' }));
  const { items = [] } = await apigateway.send(new GetResourcesCommand({ restApiId }));
  const resourceId = items[0]?.id ?? '';
  await apigateway.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await apigateway.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK' }));
  // internal: its GET needs IAM auth; its OPTIONS (CORS preflight) is open, as preflights are.
  const { id: internalApiId = '' } = await apigateway.send(new CreateRestApiCommand({ name: 'internal' }));
  const internalRoot = (await apigateway.send(new GetResourcesCommand({ restApiId: internalApiId }))).items?.[0]?.id ?? '';
  await apigateway.send(
    new PutMethodCommand({ restApiId: internalApiId, resourceId: internalRoot, httpMethod: 'GET', authorizationType: 'AWS_IAM' }),
  );
  await apigateway.send(
    new PutMethodCommand({ restApiId: internalApiId, resourceId: internalRoot, httpMethod: 'OPTIONS', authorizationType: 'NONE' }),
  );
  await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
  await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'guarded' }));
  await apigateway.send(
    new UpdateStageCommand({
      restApiId,
      stageName: 'guarded',
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '50' },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '100' },
      ],
    }),
  );
  // guarded writes access logs; the account has API Gateway's CloudWatch role, so the fix can work for prod.
  const { Role: apiLogsRole } = await iam.send(
    new CreateRoleCommand({
      RoleName: 'apigateway-cloudwatch',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await apigateway.send(
    new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: apiLogsRole?.Arn ?? '' }] }),
  );
  await apigateway.send(
    new UpdateStageCommand({
      restApiId,
      stageName: 'guarded',
      patchOperations: [
        { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:${region}:${MOTO_ACCOUNT}:log-group:shop-access` },
        { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId $context.status' },
      ],
    }),
  );
  const visibility = { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'acl' };
  const baseline = await wafv2.send(
    new CreateWebACLCommand({ Name: 'warden-baseline', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: visibility, Rules: [] }),
  );
  const teamAcl = await wafv2.send(
    new CreateWebACLCommand({ Name: 'team-acl', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: visibility, Rules: [] }),
  );
  await wafv2.send(new AssociateWebACLCommand({ WebACLArn: teamAcl.Summary?.ARN, ResourceArn: stageArn(region, restApiId, 'guarded') }));

  // Execution roles: checkout's is scoped to its table (and logs through a managed policy); reports' allows s3:* on everything.
  const executionRole = (name: string, Path = '/') =>
    iam.send(
      new CreateRoleCommand({
        RoleName: name,
        Path,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
  const role = await executionRole('checkout-role');
  const reportsRole = await executionRole('reports-role', '/service-role/');
  const inline = (RoleName: string, PolicyName: string, Statement: object[]) =>
    iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement }) }));
  await inline('checkout-role', 'checkout-data', [
    { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: orders.TableDescription?.TableArn },
  ]);
  await inline('reports-role', 'reports-data', [{ Sid: 'ReportsData', Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
  const { Policy: logsPolicy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'function-logs',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
      }),
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'checkout-role', PolicyArn: logsPolicy?.Arn }));
  const fn = (name: string, variables: Record<string, string>, executionRoleArn = role.Role?.Arn) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs24.x',
        Role: executionRoleArn,
        Handler: 'index.handler',
        Code: { ZipFile: EMPTY_ZIP },
        Environment: { Variables: variables },
      }),
    );
  const checkout = await fn('checkout', { STRIPE_SECRET_KEY: CANARY_SECRET, STAGE: 'prod', TABLE_NAME: 'orders' });
  const reports = await fn('reports', { STAGE: 'prod', LOG_LEVEL: 'info' }, reportsRole.Role?.Arn);
  // checkout may be invoked by anyone; reports only by S3 for one bucket of the account.
  await lambda.send(
    new AddPermissionCommand({ FunctionName: 'checkout', StatementId: 'public-invoke', Action: 'lambda:InvokeFunction', Principal: '*' }),
  );
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'reports',
      StatementId: 's3-invoke',
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceArn: 'arn:aws:s3:::reports-uploads',
      SourceAccount: MOTO_ACCOUNT,
    }),
  );

  // An SQS queue without encryption at rest (SNS delivers to it), and one with SSE-SQS.
  const queue = async (name: string, attributes: Record<string, string>) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl ?? '', arn: Attributes?.QueueArn ?? '' };
  };
  const orderEventsArn = `arn:aws:sqs:${region}:${MOTO_ACCOUNT}:order-events`;
  const orderEvents = await queue('order-events', {
    SqsManagedSseEnabled: 'false',
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: orderEventsArn }],
    }),
  });
  const auditEvents = await queue('audit-events', { SqsManagedSseEnabled: 'true' });

  // The functions' log groups, as Lambda creates them: checkout's never expires, reports' keeps 30 days.
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/checkout' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/reports' }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/reports', retentionInDays: 30 }));
  const logGroup = (name: string) => `arn:aws:logs:${region}:${MOTO_ACCOUNT}:log-group:${name}`;

  // Topics: order-notifications unencrypted, EventBridge allowed to publish to it; audit-notifications under the data key.
  const { TopicArn: notifications = '' } = await sns.send(new CreateTopicCommand({ Name: 'order-notifications' }));
  const eventsMayPublish = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: notifications }],
  };
  await sns.send(
    new SetTopicAttributesCommand({ TopicArn: notifications, AttributeName: 'Policy', AttributeValue: JSON.stringify(eventsMayPublish) }),
  );
  // internal-jobs: only the account's own principals may publish, so the AWS managed key breaks no AWS service.
  const { TopicArn: internalJobs = '' } = await sns.send(new CreateTopicCommand({ Name: 'internal-jobs' }));
  const accountOnly = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` }, Action: 'sns:Publish', Resource: internalJobs },
    ],
  };
  await sns.send(new SetTopicAttributesCommand({ TopicArn: internalJobs, AttributeName: 'Policy', AttributeValue: JSON.stringify(accountOnly) }));
  const { TopicArn: auditNotifications = '' } = await sns.send(
    new CreateTopicCommand({ Name: 'audit-notifications', Attributes: { KmsMasterKeyId: key.KeyMetadata?.Arn ?? '' } }),
  );

  return {
    account: MOTO_ACCOUNT,
    region,
    roleArn: role.Role?.Arn ?? '',
    roles: { noncompliant: reportsRole.Role?.Arn ?? '', compliant: role.Role?.Arn ?? '', notExecution: apiLogsRole?.Arn ?? '' },
    keyArn: key.KeyMetadata?.Arn ?? '',
    baselineWebAclArn: baseline.Summary?.ARN ?? '',
    teamWebAclArn: teamAcl.Summary?.ARN ?? '',
    tables: { noncompliant: orders.TableDescription?.TableArn ?? '', compliant: ledger.TableDescription?.TableArn ?? '' },
    restApis: {
      noncompliant: `arn:aws:apigateway:${region}::/restapis/${restApiId}`,
      compliant: `arn:aws:apigateway:${region}::/restapis/${internalApiId}`,
    },
    stages: { noncompliant: stageArn(region, restApiId, 'prod'), compliant: stageArn(region, restApiId, 'guarded') },
    restApiId,
    functions: { noncompliant: checkout.FunctionArn ?? '', compliant: reports.FunctionArn ?? '' },
    queues: { noncompliant: orderEvents.arn, compliant: auditEvents.arn, noncompliantUrl: orderEvents.url },
    topics: { noncompliant: notifications, compliant: auditNotifications, accountOnly: internalJobs },
    logGroups: { noncompliant: logGroup('/aws/lambda/checkout'), compliant: logGroup('/aws/lambda/reports') },
  };
}

export type SampleAccount = Awaited<ReturnType<typeof provisionSampleAccount>>;
