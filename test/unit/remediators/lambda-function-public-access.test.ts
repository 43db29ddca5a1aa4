import { AddPermissionCommand, GetPolicyCommand, LambdaClient, RemovePermissionCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaFunctionPublicAccess } from '../../../core/catalogue/lambda-function-public-access';
import { lambdaFunctionPublicAccessDetector as detector } from '../../../detectors/lambda-function-public-access';
import { FatalRemediationError, UndoRefusedError, VerificationFailedError } from '../../../remediators/errors';
import { lambdaFunctionPublicAccessRemediator as remediator } from '../../../remediators/lambda-function-public-access';
import { apiFixture } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const lambda = mockClient(LambdaClient);
const clients = { lambda: new LambdaClient({ region: 'us-east-1' }) };
const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:checkout';
const ref = { check: 'lambda-function-public-access' as const, account: '111122223333', region: 'us-east-1', resourceArn: ARN };
const settings = lambdaFunctionPublicAccess.settings.parse({});
const RESTORE = { StatementId: 'public-invoke', Action: 'lambda:InvokeFunction', Principal: '*' };

async function findingOf(fixture: string) {
  lambda.on(GetPolicyCommand).resolves(apiFixture(fixture));
  const evaluation = await detector.evaluate((await detector.fetch(ref, clients, settings))!, settings);
  return findingFor(ref, evaluation);
}

beforeEach(() => lambda.reset());

describe('lambda-function-public-access remediator', () => {
  it('plans RemovePermission of exactly the open statement, and names the caller it served and who must act', async () => {
    const plan = remediator.plan(await findingOf('lambda-get-policy-public'), settings, {});
    expect(plan.calls).toEqual([{ client: 'Lambda', operation: 'RemovePermission', input: { FunctionName: ARN, StatementId: 'public-invoke' } }]);
    expect(plan.notes[0]).toBe('Removing public-invoke stops * invoking the function with lambda:InvokeFunction (it let anyone).');
    expect(plan.notes[1]).toContain('Who must act');
  });

  it('applies exactly the planned call and records the statement for the undo', async () => {
    const finding = await findingOf('lambda-get-policy-public');
    const result = await remediator.apply(finding, settings, clients, {});
    expect(lambda).toHaveReceivedCommandTimes(RemovePermissionCommand, 1);
    expect(lambda).toHaveReceivedCommandWith(RemovePermissionCommand, remediator.plan(finding, settings, {}).calls[0]!.input);
    expect(result).toEqual({ changed: true, undo: { functionArn: ARN, functionName: 'checkout', removed: [RESTORE] } });
  });

  it('refuses, changing nothing, a statement undo could not put back as it is', async () => {
    const finding = await findingOf('lambda-get-policy-public-with-ip-condition');
    expect(remediator.plan(finding, settings, {})).toMatchObject({
      calls: [],
      notes: [expect.stringContaining('AddPermission cannot put back office-only')],
    });
    await expect(remediator.apply(finding, settings, clients, {})).rejects.toBeInstanceOf(FatalRemediationError);
    expect(lambda).not.toHaveReceivedCommand(RemovePermissionCommand);
  });

  it('verifies with the detector: the statement still there is a verification failure', async () => {
    const finding = await findingOf('lambda-get-policy-public');
    await expect(remediator.verify(finding, settings, clients, NO_WAIT)).rejects.toBeInstanceOf(VerificationFailedError);
    lambda.on(GetPolicyCommand).resolves(apiFixture('lambda-get-policy-tied'));
    await expect(remediator.verify(finding, settings, clients, NO_WAIT)).resolves.toMatchObject({ status: 'COMPLIANT' });
  });

  it('undo adds the recorded statement back while it is still absent', async () => {
    lambda.on(GetPolicyCommand).resolves(apiFixture('lambda-get-policy-tied'));
    const review = await remediator.undo({ functionArn: ARN, functionName: 'checkout', removed: [RESTORE] }, clients);
    expect(lambda).toHaveReceivedCommandWith(AddPermissionCommand, { FunctionName: ARN, ...RESTORE });
    expect(review.notes[0]).toBe('* can invoke checkout again with lambda:InvokeFunction, from anywhere.');
  });

  it('undo also works on a function left with no policy at all', async () => {
    lambda.on(GetPolicyCommand).rejects(new ResourceNotFoundException({ message: 'The resource you requested does not exist.', $metadata: {} }));
    await remediator.undo({ functionArn: ARN, functionName: 'checkout', removed: [RESTORE] }, clients);
    expect(lambda).toHaveReceivedCommandTimes(AddPermissionCommand, 1);
  });

  it('undo refuses, and changes nothing, once a statement of that Sid is back', async () => {
    lambda.on(GetPolicyCommand).resolves(apiFixture('lambda-get-policy-public'));
    const undo = remediator.undo({ functionArn: ARN, functionName: 'checkout', removed: [RESTORE] }, clients);
    await expect(undo).rejects.toBeInstanceOf(UndoRefusedError);
    expect(lambda).not.toHaveReceivedCommand(AddPermissionCommand);
  });
});
