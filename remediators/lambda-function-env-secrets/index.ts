import {
  GetFunctionConfigurationCommand,
  type LambdaClient,
  PreconditionFailedException,
  ResourceConflictException,
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
  ENVIRONMENT_LIMIT_BYTES,
  environmentBytes,
  planEnvSecrets,
  projectedSecretArn,
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
): Promise<{ arn: string; created: boolean }> {
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
    return { arn: created.ARN, created: true };
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
    const existing = await secretsManager.send(new DescribeSecretCommand({ SecretId: input.name }));
    const owner = existing.Tags?.find((tag) => tag.Key === FUNCTION_TAG)?.Value;
    if (owner !== input.functionArn || !existing.ARN) {
      throw new FatalRemediationError(`secret ${input.name} exists and was not created by Warden for ${input.functionArn}`, { cause: error });
    }
    await secretsManager.send(new PutSecretValueCommand({ SecretId: existing.ARN, SecretString: input.value }));
    return { arn: existing.ARN, created: false };
  }
}

/** How long an undone fix's secrets stay recoverable (Secrets Manager allows 7 to 30 days). */
const SECRET_RECOVERY_DAYS = 30;

/** The function's whole environment, at the revision it was read at: a change made since fails the call instead of being overwritten. */
async function setEnvironment(lambda: LambdaClient, functionArn: string, revisionId: string | undefined, variables: Record<string, string>) {
  await lambda.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: functionArn, RevisionId: revisionId, Environment: { Variables: variables } }),
  );
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
      // Checked before anything is created: an environment over Lambda's 4 KB limit fails the update, and
      // would leave the secrets behind. The ARNs replace the values, and may be longer than they are.
      const projected: Record<string, string> = { ...state.variables };
      for (const { name } of flagged) {
        delete projected[name];
        projected[`${name}${SECRET_ARN_SUFFIX}`] = projectedSecretArn(state.functionArn, secretNameFor(state.functionName, name));
      }
      const bytes = environmentBytes(projected);
      if (bytes > ENVIRONMENT_LIMIT_BYTES)
        throw new FatalRemediationError(
          `${state.functionName}'s environment would be ${bytes} bytes with the secret ARNs, over Lambda's ${ENVIRONMENT_LIMIT_BYTES}: nothing was created. ` +
            'The owner must move variables out of the environment (or shorten them) first.',
        );
      const variables: Record<string, string> = { ...state.variables };
      const moved: MovedVariable[] = [];
      const created: string[] = [];
      try {
        for (const { name } of flagged) {
          const target = `${name}${SECRET_ARN_SUFFIX}`;
          if (target in variables) throw new FatalRemediationError(`${state.functionName} already has a variable ${target}`);
          const stored = await storeSecret(clients.secretsManager, {
            name: secretNameFor(state.functionName, name),
            value: state.variables[name] ?? '',
            functionArn: state.functionArn,
            kmsKey: settings.kmsKey,
          });
          if (stored.created) created.push(stored.arn);
          await clients.secretsManager.send(
            new PutResourcePolicyCommand({ SecretId: stored.arn, ResourcePolicy: readPolicyFor(state.role), BlockPublicPolicy: true }),
          );
          delete variables[name];
          variables[target] = stored.arn;
          moved.push({ name, secretArn: stored.arn });
        }
        await setEnvironment(clients.lambda, state.functionArn, state.revisionId, variables);
      } catch (error) {
        // Nothing references the secrets this attempt created: they go, so a failure leaves no orphan
        // (a retry creates them again). One that cannot be deleted is named, the cause kept.
        for (const arn of created) {
          try {
            await clients.secretsManager.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }));
          } catch (cleanup) {
            throw new FatalRemediationError(`the fix failed and its secret ${arn} could not be deleted: delete it by hand`, { cause: cleanup });
          }
        }
        throw retryableLambdaError(error, state.functionArn);
      }
      return { changed: true, undo: { functionArn: state.functionArn, moved } };
    },

    async prepareUndo(record, clients) {
      const config = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: record.functionArn }));
      const current: Record<string, string> = { ...(config.Environment?.Variables ?? {}) };
      // Still as Warden left it: each <NAME>_SECRET_ARN names Warden's secret, and <NAME> has not come back.
      const drift = record.moved.flatMap(({ name, secretArn }) => {
        const pointer = `${name}${SECRET_ARN_SUFFIX}`;
        return [
          ...(current[pointer] !== secretArn ? [{ field: pointer, warden: secretArn, now: current[pointer] ?? '(removed)' }] : []),
          ...(name in current ? [{ field: name, warden: '(removed)', now: 'set again (value not shown)' }] : []),
        ];
      });
      const names = record.moved.map(({ name }) => name);
      const pointers = names.map((name) => `${name}${SECRET_ARN_SUFFIX}`);
      const deletions = record.moved.map(({ secretArn }) => ({ SecretId: secretArn, RecoveryWindowInDays: SECRET_RECOVERY_DAYS }));
      return {
        drift,
        calls: [
          {
            client: 'Lambda',
            operation: 'UpdateFunctionConfiguration',
            input: {
              FunctionName: record.functionArn,
              RevisionId: config.RevisionId,
              Environment: {
                Variables: `the current variables, with ${names.join(', ')} read back from their secrets and ${pointers.join(', ')} removed`,
              },
            },
          },
          ...deletions.map((input) => ({ client: 'SecretsManager' as const, operation: 'DeleteSecret', input })),
        ],
        notes: [
          `${names.join(', ')} go back into the environment in plain text: the value was exposed there, so rotate it.`,
          `Code that reads ${pointers.join(', ')} fails after this. The secrets are scheduled for deletion in ${SECRET_RECOVERY_DAYS} days (RestoreSecret brings one back until then).`,
        ],
        run: async () => {
          const variables = { ...current };
          for (const { name, secretArn } of record.moved) {
            const { SecretString } = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
            if (SecretString === undefined) throw new FatalRemediationError(`secret ${secretArn} has no string value`);
            variables[name] = SecretString;
            delete variables[`${name}${SECRET_ARN_SUFFIX}`];
          }
          try {
            await setEnvironment(clients.lambda, record.functionArn, config.RevisionId, variables);
          } catch (error) {
            throw retryableLambdaError(error, record.functionArn);
          }
          for (const input of deletions) await clients.secretsManager.send(new DeleteSecretCommand(input));
        },
      };
    },
  });
