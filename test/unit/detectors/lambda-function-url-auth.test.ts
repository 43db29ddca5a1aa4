import {
  LambdaClient,
  ListFunctionsCommand,
  ListFunctionUrlConfigsCommand,
  type ListFunctionUrlConfigsCommandOutput,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaFunctionUrlAuth } from '../../../core/catalogue/lambda-function-url-auth';
import { lambdaFunctionUrlAuthDetector as detector } from '../../../detectors/lambda-function-url-auth';
import { apiFixture } from '../../support/fixtures';
import { listedArns } from '../../support/listed';

const lambda = mockClient(LambdaClient);
const clients = { lambda: new LambdaClient({ region: 'us-east-1' }) };
const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:checkout';
const OPEN_URL = 'https://abcdefghijklmnopqrstuvwxyz0123.lambda-url.us-east-1.on.aws/';
const ref = { check: 'lambda-function-url-auth' as const, account: '111122223333', region: 'us-east-1', resourceArn: ARN };
const settings = lambdaFunctionUrlAuth.settings.parse({});

beforeEach(() => lambda.reset());

async function judge(answer: object) {
  lambda.on(ListFunctionUrlConfigsCommand).resolves(answer);
  const state = await detector.fetch(ref, clients, settings);
  if (!state) throw new Error('expected a state');
  return { state, evaluation: await detector.evaluate(state, settings) };
}

describe('lambda-function-url-auth detector', () => {
  it('finds a function with an open URL noncompliant, naming that URL and not the IAM-authenticated one of its alias', async () => {
    const { state, evaluation } = await judge(apiFixture('lambda-list-function-url-configs-open'));
    expect(evaluation).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: `function checkout has a function URL anyone can invoke (AuthType NONE): ${OPEN_URL}`,
      evidence: { functionName: 'checkout', urls: 2, openUrls: [{ functionUrl: OPEN_URL }] },
    });
    expect(state.urls[1]).toMatchObject({ qualifier: 'live', authType: 'AWS_IAM' });
    expect(lambda).toHaveReceivedCommandWith(ListFunctionUrlConfigsCommand, { FunctionName: ARN, MaxItems: 50 });
  });

  it('accepts a function whose URLs all require IAM auth', async () => {
    expect((await judge(apiFixture('lambda-list-function-url-configs-iam'))).evaluation.status).toBe('COMPLIANT');
  });

  it('judges a function with no URL not applicable', async () => {
    expect((await judge({ FunctionUrlConfigs: [] })).evaluation.status).toBe('NOT_APPLICABLE');
  });

  it("reads every page of the function's URLs", async () => {
    const [open, iam] = apiFixture<ListFunctionUrlConfigsCommandOutput>('lambda-list-function-url-configs-open').FunctionUrlConfigs ?? [];
    lambda
      .on(ListFunctionUrlConfigsCommand)
      .resolvesOnce({ FunctionUrlConfigs: [iam!], NextMarker: 'm2' })
      .resolvesOnce({ FunctionUrlConfigs: [open!] });
    const state = await detector.fetch(ref, clients, settings);
    expect(state?.urls.map((url) => url.authType)).toEqual(['AWS_IAM', 'NONE']);
    expect(lambda).toHaveReceivedCommandWith(ListFunctionUrlConfigsCommand, { FunctionName: ARN, MaxItems: 50, Marker: 'm2' });
  });

  it('reports a deleted function as gone, not as a finding', async () => {
    lambda.on(ListFunctionUrlConfigsCommand).rejects(new ResourceNotFoundException({ message: 'Function not found: ' + ARN, $metadata: {} }));
    await expect(detector.fetch(ref, clients, settings)).resolves.toBeUndefined();
  });

  it('lets access denied through, to be logged and counted by detection', async () => {
    lambda
      .on(ListFunctionUrlConfigsCommand)
      .rejects(Object.assign(new Error('not authorized to perform: lambda:ListFunctionUrlConfigs'), { name: 'AccessDeniedException' }));
    await expect(detector.fetch(ref, clients, settings)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('sweeps every function of the account, page by page', async () => {
    lambda
      .on(ListFunctionsCommand)
      .resolvesOnce({ Functions: [{ FunctionArn: ARN }], NextMarker: 'p2' })
      .resolvesOnce({ Functions: [{ FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:reports' }] });
    expect(await listedArns(detector, clients, { account: '111122223333', region: 'us-east-1' })).toEqual([
      ARN,
      'arn:aws:lambda:us-east-1:111122223333:function:reports',
    ]);
    expect(lambda).toHaveReceivedCommandWith(ListFunctionsCommand, { MaxItems: 50, Marker: 'p2' });
  });

  it('lists each open URL for the approval and the ticket, names only', () => {
    expect(
      lambdaFunctionUrlAuth.evidenceItems({
        openUrls: [{ functionUrl: OPEN_URL }, { functionUrl: 'https://x.lambda-url.us-east-1.on.aws/', qualifier: 'live' }],
      }),
    ).toEqual({
      label: 'Open function URLs',
      items: [
        { name: OPEN_URL, detail: 'unqualified' },
        { name: 'https://x.lambda-url.us-east-1.on.aws/', detail: 'alias live' },
      ],
    });
  });
});
