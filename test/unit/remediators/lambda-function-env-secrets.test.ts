import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaFunctionEnvSecretsDetector as detector } from '../../../detectors/lambda-function-env-secrets';
import { lambdaFunctionEnvSecrets } from '../../../core/catalogue/lambda-function-env-secrets';
import { FatalRemediationError, RetryableRemediationError, VerificationFailedError } from '../../../remediators/errors';
import { lambdaFunctionEnvSecretsRemediator as remediator } from '../../../remediators/lambda-function-env-secrets';
import { readPolicyFor } from '../../../remediators/lambda-function-env-secrets/plan';
import { apiFixture, CANARY, expectNoCanary } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const lambda = mockClient(LambdaClient);
const secretsManager = mockClient(SecretsManagerClient);
const cloudwatch = mockClient(CloudWatchClient);
const clients = {
  lambda: new LambdaClient({ region: 'us-east-1' }),
  secretsManager: new SecretsManagerClient({ region: 'us-east-1' }),
  cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
};
const arn = 'arn:aws:lambda:us-east-1:111122223333:function:my-function';
const role = 'arn:aws:iam::111122223333:role/service-role/my-function-role-uy3l9qyq';
// One step, as `migration: immediate` has it; the two-phase default is tested below.
const settings = lambdaFunctionEnvSecrets.settings.parse({ kmsKey: 'alias/warden-secrets', migration: 'immediate' });
const secretArn = (name: string) => `arn:aws:secretsmanager:us-east-1:111122223333:secret:warden/lambda/my-function/${name}-AbCdEf`;

async function finding() {
  const state = await detector.fetch(
    { check: 'lambda-function-env-secrets', account: '111122223333', region: 'us-east-1', resourceArn: arn },
    clients,
    settings,
  );
  if (!state) throw new Error('no state');
  return findingFor(
    { check: 'lambda-function-env-secrets', account: '111122223333', region: 'us-east-1', resourceArn: arn },
    await detector.evaluate(state, settings),
  );
}

beforeEach(() => {
  lambda.reset();
  secretsManager.reset();
  cloudwatch.reset();
  lambda.on(ListTagsCommand).resolves({ Tags: {} });
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '$LATEST' }] });
  lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
  lambda.on(GetFunctionConfigurationCommand).resolves(apiFixture('lambda-get-function-configuration-secrets'));
  secretsManager
    .on(CreateSecretCommand)
    .callsFake((input: { Name: string }) => ({ ARN: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${input.Name}-AbCdEf`, Name: input.Name }));
});

describe('lambda-function-env-secrets remediator', () => {
  it('plans without values and says the code must read the secret', async () => {
    const plan = remediator.plan(await finding(), settings, {});
    expect(plan.calls.map((call) => `${call.client}.${call.operation}`)).toEqual([
      'SecretsManager.CreateSecret',
      'SecretsManager.PutResourcePolicy',
      'SecretsManager.CreateSecret',
      'SecretsManager.PutResourcePolicy',
      'Lambda.UpdateFunctionConfiguration',
    ]);
    expect(plan.calls[0]?.input).toMatchObject({
      Name: 'warden/lambda/my-function/DATABASE_URL',
      SecretString: '<value of DATABASE_URL>',
      KmsKeyId: 'alias/warden-secrets',
    });
    expect(plan.notes[0]).toContain('code must read each moved value from Secrets Manager');
    expectNoCanary(plan);
  });

  it('moves each secret, grants the role read on that secret only, and rewrites the environment with RevisionId', async () => {
    const result = await remediator.apply(await finding(), settings, clients, {});
    expect(secretsManager).toHaveReceivedCommandWith(CreateSecretCommand, {
      Name: 'warden/lambda/my-function/STRIPE_SECRET_KEY',
      SecretString: CANARY.stripe,
      KmsKeyId: 'alias/warden-secrets',
      Tags: [
        { Key: 'warden:managed', Value: 'true' },
        { Key: 'warden:function-arn', Value: arn },
      ],
    });
    expect(secretsManager).toHaveReceivedCommandWith(PutResourcePolicyCommand, {
      SecretId: secretArn('STRIPE_SECRET_KEY'),
      ResourcePolicy: readPolicyFor(role),
      BlockPublicPolicy: true,
    });
    expect(JSON.parse(readPolicyFor(role))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'FunctionRoleReadsThisSecret', Effect: 'Allow', Principal: { AWS: role }, Action: 'secretsmanager:GetSecretValue', Resource: '*' },
      ],
    });
    expect(lambda).toHaveReceivedCommandWith(UpdateFunctionConfigurationCommand, {
      FunctionName: arn,
      RevisionId: 'e52502d4-9320-4688-9cd6-152a6ab7490d',
      Environment: {
        Variables: {
          TABLE_NAME: 'orders-prod',
          LOG_LEVEL: 'INFO',
          DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf',
          STRIPE_SECRET_KEY_SECRET_ARN: secretArn('STRIPE_SECRET_KEY'),
          DATABASE_URL_SECRET_ARN: secretArn('DATABASE_URL'),
        },
      },
    });
    expect(result).toEqual({
      changed: true,
      leftBehind: [],
      undo: {
        functionArn: arn,
        moved: [
          { name: 'DATABASE_URL', secretArn: secretArn('DATABASE_URL') },
          { name: 'STRIPE_SECRET_KEY', secretArn: secretArn('STRIPE_SECRET_KEY') },
        ],
      },
    });
    expectNoCanary(result);
  });

  it('makes no change to a clean function', async () => {
    const dirty = await finding();
    lambda.on(GetFunctionConfigurationCommand).resolves(apiFixture('lambda-get-function-configuration-clean'));
    await expect(remediator.apply(dirty, settings, clients, {})).resolves.toEqual({ changed: false });
    expect(secretsManager).not.toHaveReceivedCommand(CreateSecretCommand);
    expect(lambda).not.toHaveReceivedCommand(UpdateFunctionConfigurationCommand);
  });

  it('never overwrites a concurrent change: a RevisionId mismatch is retryable and names no value', async () => {
    lambda
      .on(UpdateFunctionConfigurationCommand)
      .rejects(new PreconditionFailedException({ message: 'The Revision Id provided does not match the latest Revision Id.', $metadata: {} }));
    const error = await remediator.apply(await finding(), settings, clients, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryableRemediationError);
    expectNoCanary((error as Error).message);
    // The secrets this attempt created are referenced by nothing: they are deleted, not left behind.
    const created = secretsManager.commandCalls(CreateSecretCommand).length;
    expect(created).toBeGreaterThan(0);
    expect(secretsManager.commandCalls(DeleteSecretCommand).map((call) => call.args[0].input)).toEqual(
      secretsManager.commandCalls(CreateSecretCommand).map((call) => ({
        SecretId: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${call.args[0].input.Name}-AbCdEf`,
        ForceDeleteWithoutRecovery: true,
      })),
    );
  });

  it("checks Lambda's 4 KB environment limit before it creates anything", async () => {
    const big = apiFixture<{ Environment: { Variables: Record<string, string> } }>('lambda-get-function-configuration-secrets');
    big.Environment.Variables['CONFIG_BLOB'] = 'x'.repeat(4096 - JSON.stringify(big.Environment.Variables).length - 20);
    lambda.on(GetFunctionConfigurationCommand).resolves(big);
    const error = await remediator.apply(await finding(), settings, clients, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FatalRemediationError);
    expect((error as Error).message).toMatch(/environment would be \d+ bytes with the secret ARNs, over Lambda's 4096: nothing was created/);
    expectNoCanary((error as Error).message);
    expect(secretsManager).not.toHaveReceivedCommand(CreateSecretCommand);
    expect(lambda).not.toHaveReceivedCommand(UpdateFunctionConfigurationCommand);
  });

  it("reuses Warden's own secret left by an interrupted run, and refuses someone else's", async () => {
    secretsManager.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'already exists', $metadata: {} }));
    secretsManager.on(DescribeSecretCommand).resolves({ ARN: secretArn('DATABASE_URL'), Tags: [{ Key: 'warden:function-arn', Value: arn }] });
    await remediator.apply(await finding(), settings, clients, {});
    expect(secretsManager).toHaveReceivedCommandWith(PutSecretValueCommand, {
      SecretId: secretArn('DATABASE_URL'),
      SecretString: CANARY.databaseUrl,
    });
    secretsManager.on(DescribeSecretCommand).resolves({ ARN: secretArn('DATABASE_URL'), Tags: [] });
    await expect(remediator.apply(await finding(), settings, clients, {})).rejects.toThrow(FatalRemediationError);
  });

  it('verifies that no plaintext secret is left', async () => {
    const dirty = await finding();
    await expect(remediator.verify(dirty, settings, clients, NO_WAIT)).rejects.toThrow(VerificationFailedError);
    lambda.on(GetFunctionConfigurationCommand).resolves(apiFixture('lambda-get-function-configuration-clean'));
    await expect(remediator.verify(dirty, settings, clients, NO_WAIT)).resolves.toMatchObject({ status: 'COMPLIANT' });
  });

  it('undoes by restoring the variables from the secrets', async () => {
    const moved = apiFixture<{ Environment: { Variables: Record<string, string> } }>('lambda-get-function-configuration-clean');
    moved.Environment.Variables['STRIPE_SECRET_KEY_SECRET_ARN'] = secretArn('STRIPE_SECRET_KEY');
    lambda.on(GetFunctionConfigurationCommand).resolves(moved);
    secretsManager.on(GetSecretValueCommand, { SecretId: secretArn('STRIPE_SECRET_KEY') }).resolves({ SecretString: CANARY.stripe });
    await remediator.undo({ functionArn: arn, moved: [{ name: 'STRIPE_SECRET_KEY', secretArn: secretArn('STRIPE_SECRET_KEY') }] }, clients);
    expect(lambda).toHaveReceivedCommandWith(UpdateFunctionConfigurationCommand, {
      FunctionName: arn,
      RevisionId: 'e52502d4-9320-4688-9cd6-152a6ab7490d',
      Environment: {
        Variables: {
          TABLE_NAME: 'orders-prod',
          LOG_LEVEL: 'INFO',
          DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf',
          STRIPE_SECRET_KEY: CANARY.stripe,
        },
      },
    });
    // The secret stays recoverable for the owner's window, and says so.
    expect(secretsManager).toHaveReceivedCommandWith(DeleteSecretCommand, { SecretId: secretArn('STRIPE_SECRET_KEY'), RecoveryWindowInDays: 30 });
  });

  it('reviews the undo without a secret value, and refuses while the code may read the secret Warden set', async () => {
    const moved = apiFixture<{ Environment: { Variables: Record<string, string> } }>('lambda-get-function-configuration-clean');
    moved.Environment.Variables['STRIPE_SECRET_KEY_SECRET_ARN'] = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:team/stripe-XyZ123';
    lambda.on(GetFunctionConfigurationCommand).resolves(moved);
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: CANARY.stripe });
    const record = { functionArn: arn, moved: [{ name: 'STRIPE_SECRET_KEY', secretArn: secretArn('STRIPE_SECRET_KEY') }] };
    const review = await remediator.reviewUndo(record, clients);
    expect(review.drift).toEqual([
      {
        field: 'STRIPE_SECRET_KEY_SECRET_ARN',
        warden: secretArn('STRIPE_SECRET_KEY'),
        now: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:team/stripe-XyZ123',
      },
    ]);
    expect(review.calls.map((call) => `${call.client}.${call.operation}`)).toEqual([
      'Lambda.UpdateFunctionConfiguration',
      'SecretsManager.DeleteSecret',
    ]);
    expect(review.notes.join(' ')).toContain('rotate it');
    expectNoCanary(review);
    await expect(remediator.undo(record, clients)).rejects.toMatchObject({ name: 'UndoRefusedError' });
    expect(lambda).not.toHaveReceivedCommand(UpdateFunctionConfigurationCommand);
    expect(secretsManager).not.toHaveReceivedCommand(GetSecretValueCommand);
  });
});

describe('lambda-function-env-secrets two-phase migration (the default)', () => {
  const twoPhase = lambdaFunctionEnvSecrets.settings.parse({ kmsKey: 'alias/warden-secrets' });
  const staged = (env: Record<string, string>) => {
    const config = apiFixture<{ Environment: { Variables: Record<string, string> } }>('lambda-get-function-configuration-secrets');
    Object.assign(config.Environment.Variables, env);
    return config;
  };
  const pointers = { STRIPE_SECRET_KEY_SECRET_ARN: secretArn('STRIPE_SECRET_KEY'), DATABASE_URL_SECRET_ARN: secretArn('DATABASE_URL') };
  const phase1 = {
    changed: true,
    undo: {
      functionArn: arn,
      plaintextKept: true,
      moved: [
        { name: 'DATABASE_URL', secretArn: secretArn('DATABASE_URL') },
        { name: 'STRIPE_SECRET_KEY', secretArn: secretArn('STRIPE_SECRET_KEY') },
      ],
    },
    staged: { startedAt: '2026-12-02T10:00:00.000Z', confirmWithinSeconds: 604800, watchSeconds: 3600, ownerSteps: [] },
  };

  it('phase 1 adds NAME_SECRET_ARN beside NAME, lists the published copies, and tells the owner the exact code change', async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves(apiFixture('lambda-list-versions-by-function'));
    lambda.on(ListAliasesCommand).resolves(apiFixture('lambda-list-aliases'));
    const plan = remediator.plan(await finding(), twoPhase, {});
    expect(plan.calls.filter((call) => call.operation === 'UpdateFunctionConfiguration')).toHaveLength(2);
    expect(plan.notes.join(' ')).toMatch(/Phase 1 adds .* Phase 2 removes .* after 7d/);
    const result = await remediator.apply(await finding(), twoPhase, clients, {});
    expect(lambda).toHaveReceivedCommandWith(UpdateFunctionConfigurationCommand, {
      FunctionName: arn,
      RevisionId: 'e52502d4-9320-4688-9cd6-152a6ab7490d',
      Environment: {
        Variables: {
          ...apiFixture<{ Environment: { Variables: object } }>('lambda-get-function-configuration-secrets').Environment.Variables,
          ...pointers,
        },
      },
    });
    expect(result.undo).toEqual(phase1.undo);
    expect(result.staged).toMatchObject({ confirmWithinSeconds: 7 * 86400, watchSeconds: 3600 });
    const steps = result.staged?.ownerSteps.join('\n') ?? '';
    expect(steps).toContain('GetSecretValueCommand({ SecretId: process.env.STRIPE_SECRET_KEY_SECRET_ARN })');
    expect(steps).toContain('get_secret_value(SecretId=os.environ["DATABASE_URL_SECRET_ARN"])');
    expect(steps).toContain('AWS Parameters and Secrets Lambda Extension');
    // Version 2 (alias BETA, and LIVE's weight) holds the same values; version 1 (LIVE) an older key.
    expect(result.leftBehind).toEqual([
      expect.stringMatching(/^version 1 \(alias BETA, LIVE\) holds STRIPE_SECRET_KEY \(an earlier value\) in plain text/),
      expect.stringMatching(/^version 2 \(alias BETA\) holds DATABASE_URL \(the same value\), STRIPE_SECRET_KEY \(the same value\)/),
    ]);
    expectNoCanary(result);
  });

  it('a retried phase 1 finds its own pointers and refreshes them instead of failing', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves(staged(pointers));
    secretsManager.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));
    secretsManager.on(DescribeSecretCommand).callsFake((input: { SecretId: string }) => ({
      ARN: secretArn(input.SecretId.split('/').at(-1) ?? ''),
      Tags: [{ Key: 'warden:function-arn', Value: arn }],
    }));
    await expect(remediator.apply(await finding(), twoPhase, clients, {})).resolves.toMatchObject({ changed: true, staged: expect.any(Object) });
  });

  it("phase 2 removes NAME only while NAME_SECRET_ARN is still Warden's and NAME still holds what the secret holds", async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves(staged(pointers));
    secretsManager.on(GetSecretValueCommand, { SecretId: secretArn('STRIPE_SECRET_KEY') }).resolves({ SecretString: CANARY.stripe });
    secretsManager.on(GetSecretValueCommand, { SecretId: secretArn('DATABASE_URL') }).resolves({ SecretString: CANARY.databaseUrl });
    const done = await remediator.complete!(await finding(), twoPhase, clients, phase1);
    expect(lambda).toHaveReceivedCommandWith(UpdateFunctionConfigurationCommand, {
      RevisionId: 'e52502d4-9320-4688-9cd6-152a6ab7490d',
      Environment: {
        Variables: {
          TABLE_NAME: 'orders-prod',
          LOG_LEVEL: 'INFO',
          DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf',
          ...pointers,
        },
      },
    });
    expect(done.undo).toEqual({ functionArn: arn, moved: phase1.undo.moved });
    expect(done.staged?.completedAt).toEqual(expect.any(String));
    expectNoCanary(done);
  });

  it('phase 2 is refused, and changes nothing, when the owner rotated NAME in the environment since phase 1', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves(staged(pointers));
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'the value phase 1 stored' });
    await expect(remediator.complete!(await finding(), twoPhase, clients, phase1)).rejects.toThrow(
      /phase 2 refused: .*\(DATABASE_URL no longer holds what its secret holds \(value not shown\).*nothing was removed/,
    );
    expect(lambda).not.toHaveReceivedCommand(UpdateFunctionConfigurationCommand);
  });

  it('undo between the phases removes only the pointers: NAME stays as it is', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves(staged(pointers));
    secretsManager.on(GetSecretValueCommand, { SecretId: secretArn('STRIPE_SECRET_KEY') }).resolves({ SecretString: CANARY.stripe });
    secretsManager.on(GetSecretValueCommand, { SecretId: secretArn('DATABASE_URL') }).resolves({ SecretString: CANARY.databaseUrl });
    const review = await remediator.undo(phase1.undo, clients);
    expect(review.notes[0]).toContain('stay in the environment in plain text');
    expect(lambda).toHaveReceivedCommandWith(UpdateFunctionConfigurationCommand, {
      Environment: {
        Variables: apiFixture<{ Environment: { Variables: object } }>('lambda-get-function-configuration-secrets').Environment.Variables,
      },
    });
    expectNoCanary(review);
  });

  it("judges health by the function's error rate since the phase, against as long before it", async () => {
    const finding_ = await finding();
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce(apiFixture('cloudwatch-get-metric-data-steady'))
      .resolvesOnce(apiFixture('cloudwatch-get-metric-data-errors-rose'));
    const rose = await remediator.checkHealth!(finding_, twoPhase, clients, '2026-12-02T10:00:00Z', new Date('2026-12-02T10:15:00Z'));
    expect(rose).toMatchObject({ healthy: false, before: { invocations: 300, errors: 1 }, after: { invocations: 300, errors: 25 } });
    expect(rose.reason).toMatch(/^errors rose by 8\.0%, more than the 1\.0% the policy allows/);
    expect(cloudwatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
      StartTime: new Date('2026-12-02T10:00:00Z'),
      EndTime: new Date('2026-12-02T10:15:00Z'),
      MetricDataQueries: [
        expect.objectContaining({
          MetricStat: expect.objectContaining({
            Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'my-function' }] },
          }),
        }),
        expect.objectContaining({ Id: 'invocations' }),
      ],
    });
    cloudwatch.reset();
    cloudwatch.on(GetMetricDataCommand).resolves(apiFixture('cloudwatch-get-metric-data-steady'));
    await expect(remediator.checkHealth!(finding_, twoPhase, clients, '2026-12-02T10:00:00Z')).resolves.toMatchObject({ healthy: true });
    cloudwatch.reset();
    cloudwatch.on(GetMetricDataCommand).resolves(apiFixture('cloudwatch-get-metric-data-idle'));
    const idle = await remediator.checkHealth!(finding_, twoPhase, clients, '2026-12-02T10:00:00Z');
    expect(idle).toMatchObject({ healthy: true, reason: expect.stringMatching(/^not invoked since/) });
  });
});
