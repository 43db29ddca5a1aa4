import { CATALOGUE } from '../../../../core/catalogue';
import { CHECK_RULES, routeEvent } from '../../../../core/events/event-patterns';
import { MalformedEventError } from '../../../../core/events/errors';
import { extractResources } from '../../../../core/events/extract-resources';
import { eventFixture } from '../../../support/events';

describe('event routing through the synthesized rule patterns', () => {
  it.each([
    ['cloudtrail-lambda-create-function', ['lambda-function-env-secrets']],
    ['cloudtrail-lambda-update-function-configuration', ['lambda-function-env-secrets']],
    ['cloudtrail-dynamodb-update-table', ['dynamodb-table-encryption']],
    ['cloudtrail-dynamodb-create-table', ['dynamodb-table-encryption']],
    ['cloudtrail-apigateway-create-stage', ['apigateway-stage-throttling', 'apigateway-stage-waf', 'apigateway-stage-access-logging']],
    ['cloudtrail-apigateway-create-deployment', ['apigateway-stage-throttling', 'apigateway-stage-waf', 'apigateway-stage-access-logging']],
    ['cloudtrail-apigatewayv2-create-stage', ['apigateway-stage-throttling', 'apigateway-stage-waf', 'apigateway-stage-access-logging']],
    ['cloudtrail-wafv2-disassociate-web-acl', ['apigateway-stage-waf']],
    ['cloudtrail-apigateway-update-stage-by-pipeline', ['apigateway-stage-throttling', 'apigateway-stage-waf', 'apigateway-stage-access-logging']],
    ['config-apigateway-stage-change', ['apigateway-stage-throttling', 'apigateway-stage-waf', 'apigateway-stage-access-logging']],
    ['config-lambda-oversized', ['lambda-function-env-secrets', 'lambda-function-url-auth', 'lambda-function-public-access']],
    ['cloudtrail-sqs-create-queue', ['sqs-queue-encryption']],
    ['cloudtrail-sqs-set-queue-attributes', ['sqs-queue-encryption']],
    ['cloudtrail-logs-create-log-group', ['lambda-log-group-retention']],
    ['cloudtrail-logs-delete-retention-policy', ['lambda-log-group-retention']],
    ['cloudtrail-sns-create-topic', ['sns-topic-encryption']],
    ['cloudtrail-sns-set-topic-attributes', ['sns-topic-encryption']],
    ['cloudtrail-lambda-create-function-url-config', ['lambda-function-url-auth']],
    ['cloudtrail-lambda-update-function-url-config', ['lambda-function-url-auth']],
    ['cloudtrail-apigateway-put-method', ['apigateway-method-authorization']],
    ['cloudtrail-apigateway-import-rest-api', ['apigateway-method-authorization']],
    ['cloudtrail-lambda-add-permission', ['lambda-function-public-access']],
    ['cloudtrail-iam-put-role-policy', ['lambda-execution-role-wildcards']],
    ['cloudtrail-iam-attach-role-policy', ['lambda-execution-role-wildcards']],
    ['config-iam-role-change', ['lambda-execution-role-wildcards']],
  ])('%s reaches %j', (name, checks) => {
    expect(routeEvent(eventFixture(name))).toEqual(checks);
  });

  it.each([
    ['a failed call (errorCode present)', 'cloudtrail-apigateway-create-stage-failed'],
    ["a call made by Warden's own remediator role", 'cloudtrail-apigateway-update-stage-by-warden'],
    ['a deleted resource in Config', 'config-apigateway-stage-deleted'],
    ['an unrelated service (S3 CreateBucket)', 'cloudtrail-s3-create-bucket'],
    ['a new version of a managed policy (it names no role: the sweep judges the roles)', 'cloudtrail-iam-create-policy-version'],
  ])('drops %s', (_label, name) => {
    expect(routeEvent(eventFixture(name))).toEqual([]);
  });

  it.each([
    ['the restApiId of a PutMethod request', 'cloudtrail-apigateway-put-method', 'a1b2c3d4e5'],
    ['the id of an ImportRestApi response', 'cloudtrail-apigateway-import-rest-api', 'f6g7h8i9j0'],
  ])('reads the REST API from %s', (_label, name, id) => {
    expect(extractResources(eventFixture(name), 'apigateway-method-authorization').refs.map((ref) => ref.resourceArn)).toEqual([
      `arn:aws:apigateway:us-east-1::/restapis/${id}`,
    ]);
  });

  it('reads the role from an IAM record (by name: the detector reads its path), and a global Config item in the region that recorded it', () => {
    for (const name of ['cloudtrail-iam-put-role-policy', 'cloudtrail-iam-attach-role-policy'])
      expect(extractResources(eventFixture(name), 'lambda-execution-role-wildcards').refs).toEqual([
        {
          check: 'lambda-execution-role-wildcards',
          account: '111122223333',
          region: 'us-east-1',
          resourceArn: 'arn:aws:iam::111122223333:role/orders-role',
        },
      ]);
    expect(extractResources(eventFixture('config-iam-role-change'), 'lambda-execution-role-wildcards').refs).toEqual([
      {
        check: 'lambda-execution-role-wildcards',
        account: '111122223333',
        region: 'us-east-1',
        resourceArn: 'arn:aws:iam::111122223333:role/service-role/orders-role',
      },
    ]);
  });

  it('reads the function from an AddPermission record', () => {
    expect(extractResources(eventFixture('cloudtrail-lambda-add-permission'), 'lambda-function-public-access').refs[0]?.resourceArn).toBe(
      'arn:aws:lambda:us-east-1:111122223333:function:checkout',
    );
  });

  it('reads the function, unqualified, from a function URL record, an alias URL included', () => {
    for (const name of ['cloudtrail-lambda-create-function-url-config', 'cloudtrail-lambda-update-function-url-config'])
      expect(extractResources(eventFixture(name), 'lambda-function-url-auth').refs.map((ref) => ref.resourceArn)).toEqual([
        'arn:aws:lambda:us-east-1:111122223333:function:checkout',
      ]);
  });

  it('uses exact, versioned Lambda event names: the unversioned name reaches nothing', () => {
    const event = eventFixture('cloudtrail-lambda-update-function-configuration');
    (event['detail'] as Record<string, unknown>)['eventName'] = 'UpdateFunctionConfiguration';
    expect(routeEvent(event)).toEqual([]);
    (event['detail'] as Record<string, unknown>)['eventName'] = 'UpdateFunctionUrlConfig';
    expect(routeEvent(event)).toEqual([]);
  });

  it('generates one CloudTrail and one Config pattern per check', () => {
    expect(CHECK_RULES.map((rule) => rule.check)).toEqual(CATALOGUE.map((check) => check.id));
    for (const rule of CHECK_RULES) expect(rule.cloudTrail['detail']).toHaveProperty('errorCode', [{ exists: false }]);
  });
});

describe('extractResources', () => {
  it('reads the function ARN from a CloudTrail Lambda event', () => {
    expect(extractResources(eventFixture('cloudtrail-lambda-create-function'), 'lambda-function-env-secrets')).toEqual({
      kind: 'cloudtrail',
      eventId: '6642d073-04f9-474f-a31d-5ef412875c07',
      // Who made the call: flapping names the principal of each re-break.
      principal: 'arn:aws:iam::111122223333:user/testcloudtrail@elastic.co',
      refs: [
        {
          check: 'lambda-function-env-secrets',
          account: '111122223333',
          region: 'us-east-1',
          resourceArn: 'arn:aws:lambda:us-east-1:111122223333:function:cloudtrail-events-test',
        },
      ],
      source: { account: '111122223333', region: 'us-east-1' },
    });
  });

  it('builds the function ARN from requestParameters.functionName when the response has none', () => {
    const event = eventFixture('cloudtrail-lambda-update-function-configuration');
    (event['detail'] as Record<string, unknown>)['responseElements'] = null;
    expect(extractResources(event, 'lambda-function-env-secrets').refs[0]?.resourceArn).toBe(
      'arn:aws:lambda:us-east-1:111122223333:function:cloudtrail-events-test',
    );
  });

  it('reads the table from sSESpecification-era UpdateTable records', () => {
    expect(extractResources(eventFixture('cloudtrail-dynamodb-update-table'), 'dynamodb-table-encryption').refs[0]?.resourceArn).toBe(
      'arn:aws:dynamodb:us-east-1:111122223333:table/dynamo-db-1',
    );
  });

  it.each([
    ['the queue URL of the CreateQueue response', 'cloudtrail-sqs-create-queue'],
    ['the queue URL of the SetQueueAttributes request', 'cloudtrail-sqs-set-queue-attributes'],
  ])('reads the SQS queue from %s', (_label, name) => {
    expect(extractResources(eventFixture(name), 'sqs-queue-encryption').refs.map((ref) => ref.resourceArn)).toEqual([
      'arn:aws:sqs:us-east-1:111122223333:order-events',
    ]);
  });

  it.each([
    ['the CreateLogGroup Lambda makes at first invocation', 'cloudtrail-logs-create-log-group'],
    ['a DeleteRetentionPolicy request', 'cloudtrail-logs-delete-retention-policy'],
  ])('reads the log group from %s', (_label, name) => {
    expect(extractResources(eventFixture(name), 'lambda-log-group-retention').refs.map((ref) => ref.resourceArn)).toEqual([
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/checkout',
    ]);
  });

  it.each([
    ['the topic ARN of the CreateTopic response', 'cloudtrail-sns-create-topic'],
    ['the topic ARN of the SetTopicAttributes request', 'cloudtrail-sns-set-topic-attributes'],
  ])('reads the SNS topic from %s', (_label, name) => {
    expect(extractResources(eventFixture(name), 'sns-topic-encryption').refs.map((ref) => ref.resourceArn)).toEqual([
      'arn:aws:sns:us-east-1:111122223333:order-notifications',
    ]);
  });

  it('reads the SNS topic from the name of a CreateTopic whose response CloudTrail left out', () => {
    const event = eventFixture('cloudtrail-sns-create-topic');
    (event['detail'] as Record<string, unknown>)['responseElements'] = null;
    expect(extractResources(event, 'sns-topic-encryption').refs[0]?.resourceArn).toBe('arn:aws:sns:us-east-1:111122223333:order-notifications');
  });

  it('reads the stage from createStageInput and createDeploymentInput', () => {
    expect(extractResources(eventFixture('cloudtrail-apigateway-create-stage'), 'apigateway-stage-waf').refs[0]?.resourceArn).toBe(
      'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
    );
    expect(extractResources(eventFixture('cloudtrail-apigateway-create-deployment'), 'apigateway-stage-throttling').refs[0]?.resourceArn).toBe(
      'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev',
    );
  });

  it('names HTTP API stages by their v2 ARN so they are judged not applicable', () => {
    expect(extractResources(eventFixture('cloudtrail-apigatewayv2-create-stage'), 'apigateway-stage-waf').refs[0]?.resourceArn).toBe(
      'arn:aws:apigateway:us-east-1::/apis/x1y2z3w4v5/stages/$default',
    );
  });

  it('reads the stage ARN from a DisassociateWebACL record', () => {
    expect(extractResources(eventFixture('cloudtrail-wafv2-disassociate-web-acl'), 'apigateway-stage-waf').refs[0]?.resourceArn).toBe(
      'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
    );
  });

  it('reads Config items, the oversized variant from its summary', () => {
    expect(extractResources(eventFixture('config-apigateway-stage-change'), 'apigateway-stage-throttling')).toMatchObject({
      kind: 'config',
      refs: [{ resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod' }],
    });
    expect(extractResources(eventFixture('config-lambda-oversized'), 'lambda-function-env-secrets').refs[0]?.resourceArn).toBe(
      'arn:aws:lambda:us-east-1:111122223333:function:checkout',
    );
  });

  it('recognises the daily sweep', () => {
    expect(extractResources(eventFixture('scheduled-sweep'), 'dynamodb-table-encryption')).toEqual({
      kind: 'sweep',
      eventId: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      refs: [],
      source: { account: '111122223333', region: 'us-east-1' },
    });
  });

  it.each([
    ['not an object', 'hello', /not an EventBridge event/],
    [
      'no detail',
      { id: 'x', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.lambda', account: '111122223333', region: 'us-east-1' },
      /detail/,
    ],
    ['a bad account', { ...eventFixture('cloudtrail-lambda-create-function'), account: 42 }, /account/],
    ['over 256 KB', { ...eventFixture('cloudtrail-lambda-create-function'), padding: 'x'.repeat(300_000) }, /256 KB/],
    [
      'a record naming no resource',
      { ...eventFixture('cloudtrail-lambda-create-function'), detail: { eventSource: 'lambda.amazonaws.com', eventName: 'CreateFunction20150331' } },
      /names no resource/,
    ],
  ])('rejects %s with a specific MalformedEventError', (_label, event, message) => {
    expect(() => extractResources(event, 'lambda-function-env-secrets')).toThrow(MalformedEventError);
    expect(() => extractResources(event, 'lambda-function-env-secrets')).toThrow(message);
  });
});
