import {
  LambdaClient,
  ListFunctionUrlConfigsCommand,
  type ListFunctionUrlConfigsCommandOutput,
  ResourceNotFoundException,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaFunctionUrlAuth } from '../../../core/catalogue/lambda-function-url-auth';
import { FatalRemediationError, UndoRefusedError, VerificationFailedError } from '../../../remediators/errors';
import { lambdaFunctionUrlAuthRemediator as remediator } from '../../../remediators/lambda-function-url-auth';
import { apiFixture } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const lambda = mockClient(LambdaClient);
const clients = { lambda: new LambdaClient({ region: 'us-east-1' }) };
const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:checkout';
const OPEN_URL = 'https://abcdefghijklmnopqrstuvwxyz0123.lambda-url.us-east-1.on.aws/';
const ref = { check: 'lambda-function-url-auth' as const, account: '111122223333', region: 'us-east-1', resourceArn: ARN };
const finding = findingFor(ref, {
  reason: `function checkout has a function URL anyone can invoke (AuthType NONE): ${OPEN_URL}`,
  evidence: { functionName: 'checkout', urls: 2, openUrls: [{ functionUrl: OPEN_URL }] },
});
const settings = lambdaFunctionUrlAuth.settings.parse({});
const iamOnly = () => {
  const answer = apiFixture<ListFunctionUrlConfigsCommandOutput>('lambda-list-function-url-configs-open');
  return { FunctionUrlConfigs: (answer.FunctionUrlConfigs ?? []).map((config) => ({ ...config, AuthType: 'AWS_IAM' as const })) };
};

beforeEach(() => {
  lambda.reset();
  lambda.on(ListFunctionUrlConfigsCommand).resolves(apiFixture('lambda-list-function-url-configs-open'));
});

describe('lambda-function-url-auth remediator', () => {
  it('plans one UpdateFunctionUrlConfig per open URL, and says who breaks and who must act', () => {
    const plan = remediator.plan(finding, settings, {});
    expect(plan.calls).toEqual([{ client: 'Lambda', operation: 'UpdateFunctionUrlConfig', input: { FunctionName: ARN, AuthType: 'AWS_IAM' } }]);
    const notes = plan.notes.join(' ');
    expect(notes).toContain(`every unsigned request to ${OPEN_URL} gets 403 Forbidden`);
    expect(notes).toContain('Who must act: the owners of those callers');
  });

  it('applies exactly the planned call, to the open URL only, and records it for the undo', async () => {
    const result = await remediator.apply(finding, settings, clients, {});
    expect(lambda).toHaveReceivedCommandTimes(UpdateFunctionUrlConfigCommand, 1);
    expect(lambda).toHaveReceivedCommandWith(UpdateFunctionUrlConfigCommand, remediator.plan(finding, settings, {}).calls[0]!.input);
    expect(result).toEqual({ changed: true, undo: { functionArn: ARN, functionName: 'checkout', urls: [{ functionUrl: OPEN_URL }] } });
  });

  it("names the alias of an alias's URL in the call", async () => {
    const answer = apiFixture<ListFunctionUrlConfigsCommandOutput>('lambda-list-function-url-configs-open');
    lambda
      .on(ListFunctionUrlConfigsCommand)
      .resolves({ FunctionUrlConfigs: (answer.FunctionUrlConfigs ?? []).map((config) => ({ ...config, AuthType: 'NONE' as const })) });
    await remediator.apply(finding, settings, clients, {});
    expect(lambda).toHaveReceivedCommandWith(UpdateFunctionUrlConfigCommand, { FunctionName: ARN, Qualifier: 'live', AuthType: 'AWS_IAM' });
  });

  it('changes nothing when every URL requires IAM auth by now', async () => {
    lambda.on(ListFunctionUrlConfigsCommand).resolves(iamOnly());
    await expect(remediator.apply(finding, settings, clients, {})).resolves.toEqual({ changed: false });
    expect(lambda).not.toHaveReceivedCommand(UpdateFunctionUrlConfigCommand);
  });

  it('fails for good when the URL is deleted between the read and the fix', async () => {
    lambda
      .on(UpdateFunctionUrlConfigCommand)
      .rejects(new ResourceNotFoundException({ message: 'The resource you requested does not exist.', $metadata: {} }));
    await expect(remediator.apply(finding, settings, clients, {})).rejects.toBeInstanceOf(FatalRemediationError);
  });

  it('verifies with the detector: a URL still open is a verification failure', async () => {
    await expect(remediator.verify(finding, settings, clients, NO_WAIT)).rejects.toBeInstanceOf(VerificationFailedError);
    lambda.on(ListFunctionUrlConfigsCommand).resolves(iamOnly());
    await expect(remediator.verify(finding, settings, clients, NO_WAIT)).resolves.toMatchObject({ status: 'COMPLIANT' });
  });

  it('undo opens exactly the URLs Warden closed, while they still require IAM auth, and says so', async () => {
    lambda.on(ListFunctionUrlConfigsCommand).resolves(iamOnly());
    const review = await remediator.undo({ functionArn: ARN, functionName: 'checkout', urls: [{ functionUrl: OPEN_URL }] }, clients);
    expect(lambda).toHaveReceivedCommandTimes(UpdateFunctionUrlConfigCommand, 1);
    expect(lambda).toHaveReceivedCommandWith(UpdateFunctionUrlConfigCommand, { FunctionName: ARN, AuthType: 'NONE' });
    expect(review.notes.join(' ')).toContain(`Anyone on the internet can invoke ${OPEN_URL} again`);
  });

  it('undo refuses, and changes nothing, when the URL is no longer as Warden left it', async () => {
    const undo = remediator.undo({ functionArn: ARN, functionName: 'checkout', urls: [{ functionUrl: OPEN_URL }] }, clients);
    await expect(undo).rejects.toBeInstanceOf(UndoRefusedError);
    await expect(undo).rejects.toMatchObject({ drift: [{ field: `AuthType of ${OPEN_URL}`, warden: 'AWS_IAM', now: 'NONE' }] });
    expect(lambda).not.toHaveReceivedCommand(UpdateFunctionUrlConfigCommand);
  });
});
