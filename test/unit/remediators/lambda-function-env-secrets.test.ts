import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListTagsCommand,
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
import { FatalRemediationError, RetryableRemediationError, VerificationFailedError } from '../../../remediators/errors';
import { lambdaFunctionEnvSecretsRemediator as remediator } from '../../../remediators/lambda-function-env-secrets';
import { readPolicyFor } from '../../../remediators/lambda-function-env-secrets/plan';
import { apiFixture, CANARY, expectNoCanary } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const lambda = mockClient(LambdaClient);
const secretsManager = mockClient(SecretsManagerClient);
const clients = { lambda: new LambdaClient({ region: 'us-east-1' }), secretsManager: new SecretsManagerClient({ region: 'us-east-1' }) };
const arn = 'arn:aws:lambda:us-east-1:111122223333:function:my-function';
const role = 'arn:aws:iam::111122223333:role/service-role/my-function-role-uy3l9qyq';
const settings = { kmsKey: 'alias/warden-secrets', ignoreVariables: [] as string[] };
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
  lambda.on(ListTagsCommand).resolves({ Tags: {} });
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
