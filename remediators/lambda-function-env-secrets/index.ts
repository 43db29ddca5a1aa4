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
  InvalidRequestException,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  RestoreSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { durationSeconds } from '../../core/policy/formats';
import { lambdaFunctionEnvSecretsDetector as detector } from '../../detectors/lambda-function-env-secrets';
import type { SecretMatch } from '../../detectors/secret-scanner/scan-variables';
import { FatalRemediationError, RetryableRemediationError } from '../errors';
import {
  type EnvSecretsUndo,
  FUNCTION_TAG,
  functionNameOf,
  MANAGED_TAG,
  pointerOf,
  type MovedVariable,
  ENVIRONMENT_LIMIT_BYTES,
  environmentBytes,
  planEnvSecrets,
  projectedSecretArn,
  readPolicyFor,
  secretNameFor,
} from './plan';
import type { ApplyResult, Remediator } from '../remediator';
import { defineRemediator } from '../define-remediator';
import { functionHealth } from './function-health';
import { ownerSteps } from './owner-steps';
import { publishedCopies } from './published-copies';

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
    // The name is taken: by Warden's own secret of an interrupted run, or of a fix undone less than the
    // recovery window ago (Secrets Manager then answers InvalidRequestException: scheduled for deletion).
    if (!(error instanceof ResourceExistsException) && !(error instanceof InvalidRequestException)) throw error;
    const existing = await secretsManager.send(new DescribeSecretCommand({ SecretId: input.name }));
    const owner = existing.Tags?.find((tag) => tag.Key === FUNCTION_TAG)?.Value;
    if (owner !== input.functionArn || !existing.ARN) {
      throw new FatalRemediationError(`secret ${input.name} exists and was not created by Warden for ${input.functionArn}`, { cause: error });
    }
    if (existing.DeletedDate) await secretsManager.send(new RestoreSecretCommand({ SecretId: existing.ARN }));
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

export const lambdaFunctionEnvSecretsRemediator: Remediator<
  'lambda-function-env-secrets',
  'lambda' | 'secretsManager' | 'cloudwatch',
  EnvSecretsUndo
> = defineRemediator({
  check: 'lambda-function-env-secrets',
  detector,

  plan: planEnvSecrets,

  async fix({ state, evaluation }, _finding, settings, clients) {
    if (!state.role) throw new FatalRemediationError(`function ${state.functionArn} has no execution role`);
    const flagged = evaluation.evidence['flagged'] as SecretMatch[];
    const twoPhase = settings.migration === 'two-phase';
    // Checked before anything is created: an environment over Lambda's 4 KB limit fails the update, and
    // would leave the secrets behind. The ARNs join (phase 1) or replace the values, and may be longer.
    const projected: Record<string, string> = { ...state.variables };
    for (const { name } of flagged) {
      if (!twoPhase) delete projected[name];
      projected[pointerOf(name)] = projectedSecretArn(state.functionArn, secretNameFor(state.functionName, name));
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
        const target = pointerOf(name);
        const secretName = secretNameFor(state.functionName, name);
        // A pointer to Warden's own secret of this name is an earlier attempt's phase 1: it is refreshed.
        if (target in variables && !variables[target]?.includes(`:secret:${secretName}-`))
          throw new FatalRemediationError(`${state.functionName} already has a variable ${target}`);
        const stored = await storeSecret(clients.secretsManager, {
          name: secretName,
          value: state.variables[name] ?? '',
          functionArn: state.functionArn,
          kmsKey: settings.kmsKey,
        });
        if (stored.created) created.push(stored.arn);
        await clients.secretsManager.send(
          new PutResourcePolicyCommand({ SecretId: stored.arn, ResourcePolicy: readPolicyFor(state.role), BlockPublicPolicy: true }),
        );
        if (!twoPhase) delete variables[name];
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
    const names = moved.map(({ name }) => name);
    const leftBehind = await publishedCopies(clients.lambda, state.functionName, state.variables, names);
    const undo: EnvSecretsUndo = { functionArn: state.functionArn, moved, ...(twoPhase ? { plaintextKept: true } : {}) };
    if (!twoPhase) return { changed: true, undo, leftBehind };
    const startedAt = new Date();
    const confirmWithinSeconds = durationSeconds(settings.removePlaintextAfter);
    const deadline = new Date(startedAt.getTime() + confirmWithinSeconds * 1000).toISOString();
    return {
      changed: true,
      undo,
      leftBehind,
      staged: {
        startedAt: startedAt.toISOString(),
        confirmWithinSeconds,
        watchSeconds: durationSeconds(settings.healthWindow),
        ownerSteps: ownerSteps(names, pointerOf, deadline),
      },
    };
  },

  staged: {
    // Phase 2: NAME goes only where NAME_SECRET_ARN is still Warden's and NAME still holds what the secret
    // holds; anything else means someone changed the function since phase 1, and nothing is removed.
    async complete(_finding, _settings, clients, applied: ApplyResult<EnvSecretsUndo>): Promise<ApplyResult<EnvSecretsUndo>> {
      const record = applied.undo;
      if (!record?.plaintextKept || !applied.staged) throw new FatalRemediationError('phase 2 needs the undo record of phase 1');
      const config = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: record.functionArn }));
      if (config.LastUpdateStatus === 'InProgress') throw new RetryableRemediationError(`${record.functionArn} has an update in progress`);
      const variables: Record<string, string> = { ...(config.Environment?.Variables ?? {}) };
      const changes: string[] = [];
      for (const { name, secretArn } of record.moved) {
        if (variables[pointerOf(name)] !== secretArn) changes.push(`${pointerOf(name)} no longer names Warden's secret`);
        else if (name in variables) {
          const { SecretString } = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
          if (SecretString !== variables[name]) changes.push(`${name} no longer holds what its secret holds (value not shown)`);
        }
      }
      if (changes.length > 0)
        throw new FatalRemediationError(`phase 2 refused: ${record.functionArn} changed since phase 1 (${changes.join('; ')}); nothing was removed`);
      for (const { name } of record.moved) delete variables[name];
      try {
        await setEnvironment(clients.lambda, record.functionArn, config.RevisionId, variables);
      } catch (error) {
        throw retryableLambdaError(error, record.functionArn);
      }
      return {
        changed: true,
        undo: { functionArn: record.functionArn, moved: record.moved },
        staged: { ...applied.staged, completedAt: new Date().toISOString() },
        ...(applied.leftBehind ? { leftBehind: applied.leftBehind } : {}),
      };
    },

    checkHealth: (finding, settings, clients, since, now = new Date()) =>
      functionHealth(clients.cloudwatch, functionNameOf(finding.resourceArn), new Date(since), now, settings.maxErrorRateRise),
  },

  async prepareUndo(record, clients) {
    const config = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: record.functionArn }));
    const current: Record<string, string> = { ...(config.Environment?.Variables ?? {}) };
    const kept = record.plaintextKept === true;
    // Still as Warden left it: each <NAME>_SECRET_ARN names Warden's secret; after phase 2 <NAME> has not
    // come back, and between the phases <NAME> still holds what its secret holds.
    const drift: { field: string; warden: string; now: string }[] = [];
    for (const { name, secretArn } of record.moved) {
      const pointer = pointerOf(name);
      if (current[pointer] !== secretArn) drift.push({ field: pointer, warden: secretArn, now: current[pointer] ?? '(removed)' });
      if (!kept && name in current) drift.push({ field: name, warden: '(removed)', now: 'set again (value not shown)' });
      if (kept && !(name in current)) drift.push({ field: name, warden: 'kept (value not shown)', now: '(removed)' });
      if (kept && name in current) {
        const { SecretString } = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
        if (SecretString !== current[name]) drift.push({ field: name, warden: 'the value in its secret', now: 'a different value (not shown)' });
      }
    }
    const names = record.moved.map(({ name }) => name);
    const pointers = names.map(pointerOf);
    const deletions = record.moved.map(({ secretArn }) => ({ SecretId: secretArn, RecoveryWindowInDays: SECRET_RECOVERY_DAYS }));
    const variablesNote = kept
      ? `the current variables, with ${pointers.join(', ')} removed (${names.join(', ')} stay as they are)`
      : `the current variables, with ${names.join(', ')} read back from their secrets and ${pointers.join(', ')} removed`;
    return {
      drift,
      calls: [
        {
          client: 'Lambda',
          operation: 'UpdateFunctionConfiguration',
          input: { FunctionName: record.functionArn, RevisionId: config.RevisionId, Environment: { Variables: variablesNote } },
        },
        ...deletions.map((input) => ({ client: 'SecretsManager' as const, operation: 'DeleteSecret', input })),
      ],
      notes: [
        kept
          ? `${names.join(', ')} stay in the environment in plain text, as before the migration: the value was exposed there, so rotate it.`
          : `${names.join(', ')} go back into the environment in plain text: the value was exposed there, so rotate it.`,
        `Code that reads ${pointers.join(', ')} fails after this. The secrets are scheduled for deletion in ${SECRET_RECOVERY_DAYS} days (RestoreSecret brings one back until then).`,
      ],
      run: async () => {
        const variables = { ...current };
        for (const { name, secretArn } of record.moved) {
          delete variables[pointerOf(name)];
          if (kept) continue;
          const { SecretString } = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
          if (SecretString === undefined) throw new FatalRemediationError(`secret ${secretArn} has no string value`);
          variables[name] = SecretString;
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
