import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaFunctionEnvSecretsDetector as detector } from '../../../detectors/lambda-function-env-secrets';
import { lambdaFunctionEnvSecrets } from '../../../core/catalogue/lambda-function-env-secrets';
import { apiFixture, expectNoCanary } from '../../support/fixtures';
import { listedArns, listedStates } from '../../support/listed';

const lambda = mockClient(LambdaClient);
const clients = { lambda: new LambdaClient({ region: 'us-east-1' }) };
const arn = 'arn:aws:lambda:us-east-1:111122223333:function:my-function';
const ref = { check: 'lambda-function-env-secrets' as const, account: '111122223333', region: 'us-east-1', resourceArn: arn };
const settings = lambdaFunctionEnvSecrets.settings.parse({ kmsKey: 'alias/warden-secrets' });

beforeEach(() => {
  lambda.reset();
  lambda.on(ListTagsCommand).resolves(apiFixture('lambda-list-tags'));
});

async function judge(fixture: string, options = settings) {
  lambda.on(GetFunctionConfigurationCommand, { FunctionName: arn }).resolves(apiFixture(fixture));
  const state = await detector.fetch(ref, clients, options);
  if (!state) throw new Error('expected a state');
  return { state, evaluation: await detector.evaluate(state, options) };
}

describe('lambda-function-env-secrets detector', () => {
  it('reports a function whose environment it cannot decrypt (customer managed key) as not evaluated, never compliant', async () => {
    const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const configuration = apiFixture<Record<string, unknown>>('lambda-get-function-configuration-secrets');
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: arn }).resolves({
      ...configuration,
      KMSKeyArn: key,
      Environment: {
        Error: {
          ErrorCode: 'AccessDeniedException',
          Message: 'Lambda was unable to decrypt the environment variables because KMS access was denied.',
        },
      },
    });
    const state = await detector.fetch(ref, clients, settings);
    const evaluation = await detector.evaluate(state!, settings);
    expect(evaluation).toEqual({
      status: 'NOT_EVALUATED',
      reason: `function my-function: environment not evaluated: it is encrypted with ${key}, which the detector may not decrypt (AccessDeniedException)`,
      evidence: { functionName: 'my-function', notEvaluated: 'AccessDeniedException', kmsKeyArn: key },
    });
  });

  it('flags plaintext secrets by name, rule and fingerprint, never by value', async () => {
    const { evaluation } = await judge('lambda-get-function-configuration-secrets');
    expect(evaluation.status).toBe('NON_COMPLIANT');
    expect(evaluation.reason).toBe('function my-function has plaintext secrets in its environment: DATABASE_URL, STRIPE_SECRET_KEY');
    expect(evaluation.evidence).toEqual({
      functionName: 'my-function',
      variableCount: 5,
      flagged: [
        { name: 'DATABASE_URL', rule: 'warden:url-credentials', fingerprint: expect.stringMatching(/^[0-9a-f]{4}$/) },
        { name: 'STRIPE_SECRET_KEY', rule: 'gitleaks:stripe-access-token', fingerprint: expect.stringMatching(/^[0-9a-f]{4}$/) },
      ],
    });
    expectNoCanary(evaluation);
  });

  it('accepts references to secrets and plain configuration', async () => {
    const { state, evaluation } = await judge('lambda-get-function-configuration-clean');
    expect(evaluation.status).toBe('COMPLIANT');
    // Tags are read only for a finding (detectors/detect.ts asks tagsOf): a compliant function costs one call.
    expect(state.tags).toEqual({});
    expect(lambda).not.toHaveReceivedCommand(ListTagsCommand);
  });

  it('reads the tags of a function when asked, and says a function deleted meanwhile is gone', async () => {
    const { state } = await judge('lambda-get-function-configuration-secrets');
    await expect(detector.tagsOf(state, clients)).resolves.toEqual({ team: 'checkout' });
    expect(lambda).toHaveReceivedCommandWith(ListTagsCommand, { Resource: arn });
    lambda.on(ListTagsCommand).rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));
    await expect(detector.tagsOf(state, clients)).resolves.toBeUndefined();
  });

  it('skips ignored variables', async () => {
    const { evaluation } = await judge('lambda-get-function-configuration-secrets', {
      ...settings,
      ignoreVariables: ['DATABASE_URL', 'STRIPE_SECRET_KEY'],
    });
    expect(evaluation.status).toBe('COMPLIANT');
  });

  it('always reads the configuration from the API, since CloudTrail omits environment values', async () => {
    await judge('lambda-get-function-configuration-clean');
    expect(lambda).toHaveReceivedCommandWith(GetFunctionConfigurationCommand, { FunctionName: arn });
  });

  it('reports a function whose update is in progress as transitioning', async () => {
    const { state } = await judge('lambda-get-function-configuration-updating');
    expect(detector.transitioning(state)).toBe(true);
  });

  it('treats a deleted function as no finding', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));
    await expect(detector.fetch(ref, clients, settings)).resolves.toBeUndefined();
  });

  it.each(['AccessDeniedException', 'TooManyRequestsException'])('propagates %s', async (name) => {
    lambda.on(GetFunctionConfigurationCommand).rejects(Object.assign(new Error(name), { name }));
    await expect(detector.fetch(ref, clients, settings)).rejects.toMatchObject({ name });
  });

  it('lists functions across pages', async () => {
    lambda
      .on(ListFunctionsCommand)
      .resolvesOnce({ Functions: [{ FunctionName: 'a', FunctionArn: `${arn.replace('my-function', 'a')}` }], NextMarker: 'm' })
      .resolvesOnce({ Functions: [{ FunctionName: 'b' }] });
    const arns = [];
    arns.push(...(await listedArns(detector, clients, { account: '111122223333', region: 'us-east-1' })));
    expect(arns).toEqual(['arn:aws:lambda:us-east-1:111122223333:function:a', 'arn:aws:lambda:us-east-1:111122223333:function:b']);
  });

  it("judges the sweep from ListFunctions' pages, which carry each environment: no read per function", async () => {
    const configuration = apiFixture<Record<string, unknown>>('lambda-get-function-configuration-secrets');
    lambda
      .on(ListFunctionsCommand)
      .resolvesOnce({ Functions: [configuration], NextMarker: 'm' })
      .resolvesOnce({ Functions: [apiFixture('lambda-get-function-configuration-clean')] });
    const judged = [];
    for (const { ref: listedRef, state } of await listedStates(detector, clients, { account: '111122223333', region: 'us-east-1' })) {
      judged.push([listedRef.resourceArn, (await detector.evaluate(state, settings)).status]);
    }
    expect(judged).toEqual([
      [configuration['FunctionArn'], 'NON_COMPLIANT'],
      [expect.stringContaining(':function:'), 'COMPLIANT'],
    ]);
    expect(lambda).not.toHaveReceivedCommand(GetFunctionConfigurationCommand);
    expect(lambda).not.toHaveReceivedCommand(ListTagsCommand);
  });
});
