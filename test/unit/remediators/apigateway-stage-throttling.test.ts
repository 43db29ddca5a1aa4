import { APIGatewayClient, ConflictException, GetStageCommand, TooManyRequestsException, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apigatewayStageThrottlingRemediator as remediator } from '../../../remediators/apigateway-stage-throttling';
import { UndoRefusedError, VerificationFailedError } from '../../../remediators/errors';
import { apiFixture } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const apigateway = mockClient(APIGatewayClient);
const clients = { apigateway: new APIGatewayClient({ region: 'us-east-1' }) };
const ref = {
  check: 'apigateway-stage-throttling' as const,
  account: '111122223333',
  region: 'us-east-1',
  resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev',
};
const finding = findingFor(ref, { reason: 'stage a1b2c3d4e5/dev: rate limit 500 above 100', evidence: { stage: 'a1b2c3d4e5/dev' } });
const settings = { rateLimit: 100, burstLimit: 200 };
const PATCH = [
  { op: 'replace', path: '/*/*/throttling/rateLimit', value: '100' },
  { op: 'replace', path: '/*/*/throttling/burstLimit', value: '200' },
];

beforeEach(() => {
  apigateway.reset();
  apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-throttled-500'));
});

describe('apigateway-stage-throttling remediator', () => {
  it('plans one UpdateStage patching only the */* throttling limits', () => {
    expect(remediator.plan(finding, settings, {}).calls).toEqual([
      { client: 'APIGateway', operation: 'UpdateStage', input: { restApiId: 'a1b2c3d4e5', stageName: 'dev', patchOperations: PATCH } },
    ]);
  });

  it('applies exactly that call, also to each method whose own limits are over, and remembers the previous limits', async () => {
    const result = await remediator.apply(finding, settings, clients, {});
    expect(apigateway).toHaveReceivedCommandTimes(UpdateStageCommand, 1);
    const methodPatch = [
      { op: 'replace', path: '/~1resource/GET/throttling/rateLimit', value: '100' },
      { op: 'replace', path: '/~1resource/GET/throttling/burstLimit', value: '200' },
    ];
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, {
      restApiId: 'a1b2c3d4e5',
      stageName: 'dev',
      patchOperations: [...PATCH, ...methodPatch],
    });
    expect(result).toEqual({
      changed: true,
      undo: {
        restApiId: 'a1b2c3d4e5',
        stageName: 'dev',
        previousRateLimit: 500,
        previousBurstLimit: 1000,
        previousMethods: { '~1resource/GET': { rateLimit: 500, burstLimit: 1000 } },
        set: settings,
      },
    });
  });

  it('plans the patch of the methods the finding names, and says so', () => {
    const withMethods = findingFor(ref, {
      reason: 'x',
      evidence: { stage: 'a1b2c3d4e5/dev', methodsOverLimit: [{ method: '~1pets/POST', rateLimit: null, burstLimit: null }] },
    });
    const plan = remediator.plan(withMethods, settings, {});
    expect(plan.calls[0]?.input['patchOperations']).toEqual([
      ...PATCH,
      { op: 'replace', path: '/~1pets/POST/throttling/rateLimit', value: '100' },
      { op: 'replace', path: '/~1pets/POST/throttling/burstLimit', value: '200' },
    ]);
    expect(plan.notes[0]).toContain('1 method with limits of their own (~1pets/POST)');
  });

  it('undoes the methods it changed to their previous limits', async () => {
    apigateway.on(GetStageCommand).resolves({
      methodSettings: {
        '*/*': { throttlingRateLimit: 100, throttlingBurstLimit: 200 },
        '~1pets/POST': { throttlingRateLimit: 100, throttlingBurstLimit: 200 },
      },
    });
    await remediator.undo(
      {
        restApiId: 'a1b2c3d4e5',
        stageName: 'dev',
        previousRateLimit: 500,
        previousBurstLimit: 1000,
        previousMethods: { '~1pets/POST': { rateLimit: null, burstLimit: 50 } },
        set: settings,
      },
      clients,
    );
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, {
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '500' },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '1000' },
        { op: 'replace', path: '/~1pets/POST/throttling/rateLimit', value: '-1' },
        { op: 'replace', path: '/~1pets/POST/throttling/burstLimit', value: '50' },
      ],
    });
  });

  it('makes no change to a compliant stage', async () => {
    apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-compliant'));
    await expect(remediator.apply(finding, settings, clients, {})).resolves.toEqual({ changed: false });
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
  });

  it.each([
    [
      'ConflictException',
      () => new ConflictException({ message: 'Unable to complete operation due to concurrent modification. Please try again later.', $metadata: {} }),
    ],
    ['TooManyRequestsException', () => new TooManyRequestsException({ message: 'Too Many Requests', $metadata: {} })],
  ])('turns %s from UpdateStage (a concurrent change of the stage, throttling) into a retryable error for the workflow', async (_name, error) => {
    apigateway.on(UpdateStageCommand).rejects(error());
    await expect(remediator.apply(finding, settings, clients, {})).rejects.toMatchObject({ name: 'RetryableRemediationError' });
  });

  it('verifies the new limits, and fails when they did not take', async () => {
    apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-compliant'));
    await expect(remediator.verify(finding, settings, clients, NO_WAIT)).resolves.toMatchObject({ status: 'COMPLIANT' });
    apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-no-method-settings'));
    await expect(remediator.verify(finding, settings, clients, NO_WAIT)).rejects.toThrow(VerificationFailedError);
  });

  it('undoes to the previous limits while the stage has the limits Warden set', async () => {
    apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-compliant'));
    await remediator.undo({ restApiId: 'a1b2c3d4e5', stageName: 'dev', previousRateLimit: 500, previousBurstLimit: 1000, set: settings }, clients);
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, {
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '500' },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '1000' },
      ],
    });
  });

  it('removes the stage-wide setting Warden added, rather than writing -1 over it', async () => {
    apigateway
      .on(GetStageCommand)
      .resolves({ methodSettings: { '*/*': { throttlingRateLimit: 100, throttlingBurstLimit: 200, loggingLevel: 'OFF' } } });
    const record = { restApiId: 'a1b2c3d4e5', stageName: 'dev', previousRateLimit: null, previousBurstLimit: null, set: settings };
    const review = await remediator.undo(record, clients);
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, { patchOperations: [{ op: 'remove', path: '/*/*' }] });
    expect(review.notes[0]).toContain('is removed');
  });

  it('resets only the limits when the owner has used the stage-wide setting for logging since', async () => {
    apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-compliant'));
    await remediator.undo({ restApiId: 'a1b2c3d4e5', stageName: 'dev', previousRateLimit: null, previousBurstLimit: null, set: settings }, clients);
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, {
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '-1' },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '-1' },
      ],
    });
  });

  it('refuses, and calls nothing, when the limits were tuned since the fix; --force undoes anyway', async () => {
    apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-throttled-500'));
    const record = { restApiId: 'a1b2c3d4e5', stageName: 'dev', previousRateLimit: null, previousBurstLimit: null, set: settings };
    const review = await remediator.reviewUndo(record, clients);
    expect(review.drift).toEqual(expect.arrayContaining([{ field: '*/* rate limit', warden: '100', now: '500' }]));
    await expect(remediator.undo(record, clients)).rejects.toBeInstanceOf(UndoRefusedError);
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
    await remediator.undo(record, clients, { force: true });
    expect(apigateway).toHaveReceivedCommandTimes(UpdateStageCommand, 1);
  });

  it('refuses a record from before Warden kept what it set', async () => {
    apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-compliant'));
    const review = await remediator.reviewUndo(
      { restApiId: 'a1b2c3d4e5', stageName: 'dev', previousRateLimit: 500, previousBurstLimit: 1000 },
      clients,
    );
    expect(review.drift.map((drift) => drift.field)).toEqual(['*/* throttling']);
  });
});
