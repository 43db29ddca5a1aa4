import { allowsAction, principalsOf, servicePrincipalsAllowed, statementsOf } from '../../../../core/aws/resource-policy';

describe('resource policies', () => {
  it('reads service principals only from Allow statements, and nothing from an unreadable policy', () => {
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'sns.amazonaws.com'] }, Action: 'sqs:SendMessage' },
        { Effect: 'Deny', Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage' },
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sqs:*' },
      ],
    });
    expect(servicePrincipalsAllowed(policy)).toEqual(['events.amazonaws.com', 'sns.amazonaws.com']);
    expect(servicePrincipalsAllowed('not json')).toEqual([]);
    expect(servicePrincipalsAllowed('null')).toEqual([]);
    expect(servicePrincipalsAllowed(undefined)).toEqual([]);
  });

  it('reads a single statement object as a list of one, and "*" as every AWS principal', () => {
    const [statement] = statementsOf(JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 'SNS:Publish' } }));
    expect(principalsOf(statement!, 'AWS')).toEqual(['*']);
    expect(principalsOf(statement!, 'Service')).toEqual([]);
  });

  it.each([
    ['SNS:Publish', 'sns:Publish', true],
    [['SNS:GetTopicAttributes', 'SNS:Publish'], 'sns:Publish', true],
    ['sns:*', 'sns:Publish', true],
    ['*', 'lambda:InvokeFunction', true],
    ['lambda:Invoke*', 'lambda:InvokeFunctionUrl', true],
    ['sns:Subscribe', 'sns:Publish', false],
    ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl', false],
  ])('%j allows %s: %s', (action, asked, allowed) => {
    expect(allowsAction({ Effect: 'Allow', Action: action }, asked)).toBe(allowed);
  });
});
