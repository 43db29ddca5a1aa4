import {
  GetFunctionConfigurationCommand,
  PreconditionFailedException,
  ResourceConflictException,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { lambdaFunctionEnvSecretsDetector as detector } from '../../detectors/lambda-function-env-secrets';
import type { SecretMatch } from '../../detectors/secret-scanner/scan-variables';
import { FatalRemediationError, RetryableRemediationError } from '../errors';
import {
  type EnvSecretsUndo,
  FUNCTION_TAG,
  MANAGED_TAG,
  type MovedVariable,
  planEnvSecrets,
  readPolicyFor,
  SECRET_ARN_SUFFIX,
  secretNameFor,
} from './plan';
import type { Remediator } from '../remediator';
import { defineRemediator } from '../define-remediator';

/** Creates the secret, or refreshes Warden's own secret of that name left by an interrupted run. */
async function storeSecret(
  secretsManager: SecretsManagerClient,
  input: { name: string; value: string; functionArn: string; kmsKey: string },
): Promise<string> {
  try {
    const created = await secretsManager.send(
      new CreateSecretCommand({
        Name: input.name,
        SecretString: input.value,
        KmsKeyId: input.kmsKey,
        Description: `Moved out of the environment of ${input.functionArn} by Warden`,
        Tags: [
          { Key: MANAGED_TAG, Value: 'true' },
          { Key: FUNCTION_TAG, Value: input.functionArn },
        ],
      }),
    );
    if (!created.ARN) throw new FatalRemediationError(`CreateSecret returned no ARN for ${input.name}`);
    return created.ARN;
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
    const existing = await secretsManager.send(new DescribeSecretCommand({ SecretId: input.name }));
    const owner = existing.Tags?.find((tag) => tag.Key === FUNCTION_TAG)?.Value;
    if (owner !== input.functionArn || !existing.ARN) {
      throw new FatalRemediationError(`secret ${input.name} exists and was not created by Warden for ${input.functionArn}`, { cause: error });
    }
    await secretsManager.send(new PutSecretValueCommand({ SecretId: existing.ARN, SecretString: input.value }));
    return existing.ARN;
  }
}

function retryableLambdaError(error: unknown, functionArn: string): unknown {
  if (error instanceof PreconditionFailedException)
    return new RetryableRemediationError(`${functionArn} changed concurrently (RevisionId mismatch)`, { cause: error });
  if (error instanceof ResourceConflictException) return new RetryableRemediationError(`${functionArn} has an update in progress`, { cause: error });
  return error;
}

export const lambdaFunctionEnvSecretsRemediator: Remediator<'lambda-function-env-secrets', 'lambda' | 'secretsManager', EnvSecretsUndo> =
  defineRemediator({
    check: 'lambda-function-env-secrets',
    detector,

    plan: planEnvSecrets,

    async fix({ state, evaluation }, _finding, settings, clients) {
      if (!state.role) throw new FatalRemediationError(`function ${state.functionArn} has no execution role`);
      const flagged = evaluation.evidence['flagged'] as SecretMatch[];
      const variables: Record<string, string> = { ...state.variables };
      const moved: MovedVariable[] = [];
      for (const { name } of flagged) {
        const target = `${name}${SECRET_ARN_SUFFIX}`;
        if (target in variables) throw new FatalRemediationError(`${state.functionName} already has a variable ${target}`);
        const secretArn = await storeSecret(clients.secretsManager, {
          name: secretNameFor(state.functionName, name),
          value: state.variables[name] ?? '',
          functionArn: state.functionArn,
          kmsKey: settings.kmsKey,
        });
        await clients.secretsManager.send(
          new PutResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: readPolicyFor(state.role), BlockPublicPolicy: true }),
        );
        delete variables[name];
        variables[target] = secretArn;
        moved.push({ name, secretArn });
      }
      try {
        await clients.lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: state.functionArn,
            RevisionId: state.revisionId,
            Environment: { Variables: variables },
          }),
        );
      } catch (error) {
        throw retryableLambdaError(error, state.functionArn);
      }
      return { changed: true, undo: { functionArn: state.functionArn, moved } };
    },

    async undo(record, clients) {
      const config = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: record.functionArn }));
      const variables: Record<string, string> = { ...(config.Environment?.Variables ?? {}) };
      for (const { name, secretArn } of record.moved) {
        const { SecretString } = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
        if (SecretString === undefined) throw new FatalRemediationError(`secret ${secretArn} has no string value`);
        variables[name] = SecretString;
        delete variables[`${name}${SECRET_ARN_SUFFIX}`];
      }
      try {
        await clients.lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: record.functionArn,
            RevisionId: config.RevisionId,
            Environment: { Variables: variables },
          }),
        );
      } catch (error) {
        throw retryableLambdaError(error, record.functionArn);
      }
    },
  });
