import { GetPolicyCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaFunctionPublicAccess } from '../../../core/catalogue/lambda-function-public-access';
import { lambdaFunctionPublicAccessDetector as detector } from '../../../detectors/lambda-function-public-access';
import { apiFixture } from '../../support/fixtures';

const lambda = mockClient(LambdaClient);
const clients = { lambda: new LambdaClient({ region: 'us-east-1' }) };
const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:checkout';
const ref = { check: 'lambda-function-public-access' as const, account: '111122223333', region: 'us-east-1', resourceArn: ARN };
const defaults = lambdaFunctionPublicAccess.settings.parse({});

beforeEach(() => lambda.reset());

async function judge(fixture: string, settings = defaults) {
  lambda.on(GetPolicyCommand).resolves(apiFixture(fixture));
  const state = await detector.fetch(ref, clients, settings);
  if (!state) throw new Error('expected a state');
  return detector.evaluate(state, settings);
}

describe('lambda-function-public-access detector', () => {
  it("finds a statement for anyone noncompliant, and leaves a source-tied grant and a function URL's statement alone", async () => {
    const evaluation = await judge('lambda-get-policy-public');
    expect(evaluation).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: 'the resource policy of checkout lets anyone lambda:InvokeFunction (public-invoke)',
      evidence: {
        statements: 3,
        openStatements: [
          {
            sid: 'public-invoke',
            principal: '*',
            action: 'lambda:InvokeFunction',
            why: 'anyone',
            restore: { StatementId: 'public-invoke', Action: 'lambda:InvokeFunction', Principal: '*' },
          },
        ],
      },
    });
    expect(lambda).toHaveReceivedCommandWith(GetPolicyCommand, { FunctionName: ARN });
  });

  it("finds a service grant with no source (any account's bucket) and another account's grant noncompliant", async () => {
    const evaluation = await judge('lambda-get-policy-open-service-and-partner');
    expect((evaluation.evidence['openStatements'] as { why: string }[]).map((statement) => statement.why)).toEqual([
      "any account's s3.amazonaws.com resource",
      'account 444455556666 outside the organization',
    ]);
  });

  it('accepts an account the policy trusts, and a policy whose grants are tied to their sources', async () => {
    const trusted = lambdaFunctionPublicAccess.settings.parse({ trustedAccounts: ['444455556666'] });
    const evaluation = await judge('lambda-get-policy-open-service-and-partner', trusted);
    expect((evaluation.evidence['openStatements'] as unknown[]).length).toBe(1);
    expect((await judge('lambda-get-policy-tied')).status).toBe('COMPLIANT');
  });

  it('flags a statement for anyone with a condition AddPermission cannot express, and records no restore for it', async () => {
    const evaluation = await judge('lambda-get-policy-public-with-ip-condition');
    expect(evaluation.status).toBe('NON_COMPLIANT');
    expect((evaluation.evidence['openStatements'] as { restore?: unknown }[])[0]?.restore).toBeUndefined();
  });

  it('judges a function with no policy compliant (Lambda answers ResourceNotFoundException for it)', async () => {
    lambda.on(GetPolicyCommand).rejects(new ResourceNotFoundException({ message: 'The resource you requested does not exist.', $metadata: {} }));
    const state = await detector.fetch(ref, clients, defaults);
    expect((await detector.evaluate(state!, defaults)).status).toBe('COMPLIANT');
  });

  it('lets access denied through, to be logged and counted by detection', async () => {
    lambda.on(GetPolicyCommand).rejects(Object.assign(new Error('not authorized to perform: lambda:GetPolicy'), { name: 'AccessDeniedException' }));
    await expect(detector.fetch(ref, clients, defaults)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('rejects an account id that is not 12 digits, at policy validation', () => {
    expect(lambdaFunctionPublicAccess.settings.safeParse({ trustedAccounts: ['1234'] }).success).toBe(false);
  });
});
