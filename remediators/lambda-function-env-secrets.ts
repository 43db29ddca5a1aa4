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
import { WARDEN_SECRET_PREFIX } from '../core/catalogue/lambda-function-env-secrets';
import type { Finding } from '../core/finding';
import { lambdaFunctionEnvSecretsDetector as detector } from '../detectors/lambda-function-env-secrets';
import type { SecretMatch } from '../detectors/secret-scanner/scan-variables';
import { FatalRemediationError, RetryableRemediationError } from './errors';
import type { PlannedCall, Remediator } from './remediator';
import { fetchSettled, verifyWithDetector } from '../detectors/fetch-settled';

export const MANAGED_TAG = 'warden:managed';
export const FUNCTION_TAG = 'warden:function-arn';
export const SECRET_ARN_SUFFIX = '_SECRET_ARN';

export interface MovedVariable {
  readonly name: string;
  readonly secretArn: string;
}

export interface EnvSecretsUndo {
  readonly functionArn: string;
  readonly moved: readonly MovedVariable[];
}

const CODE_NOTE =
  "The function's code must read each moved value from Secrets Manager at start-up (e.g. the AWS Parameters and Secrets Lambda Extension, or GetSecretValue on <NAME>_SECRET_ARN): after this change <NAME> is no longer set.";

export function secretNameFor(functionName: string, variable: string): string {
  return `${WARDEN_SECRET_PREFIX}lambda/${functionName}/${variable}`;
}

/** Lets exactly one role read exactly this secret, through the secret's own resource policy. */
export function readPolicyFor(roleArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'FunctionRoleReadsThisSecret', Effect: 'Allow', Principal: { AWS: roleArn }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
  });
}

function flaggedOf(finding: Finding): SecretMatch[] {
  const flagged = finding.evidence['flagged'];
  return Array.isArray(flagged) ? (flagged as SecretMatch[]) : [];
}

function functionNameOf(arn: string): string {
  return arn.split(':')[6] ?? arn;
}

/** Creates the secret, or refreshes Warden's own secret of that name left by an interrupted run. */
async function storeSecret(secretsManager: SecretsManagerClient, input: { name: string; value: string; functionArn: string; kmsKey: string }): Promise<string> {
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
  if (error instanceof PreconditionFailedException) return new RetryableRemediationError(`${functionArn} changed concurrently (RevisionId mismatch)`, { cause: error });
  if (error instanceof ResourceConflictException) return new RetryableRemediationError(`${functionArn} has an update in progress`, { cause: error });
  return error;
}

export const lambdaFunctionEnvSecretsRemediator: Remediator<'lambda-function-env-secrets', 'lambda' | 'secretsManager', EnvSecretsUndo> = {
  check: 'lambda-function-env-secrets',

  plan(finding, settings) {
    const functionName = functionNameOf(finding.resourceArn);
    const flagged = flaggedOf(finding);
    const calls: PlannedCall[] = flagged.flatMap((match): PlannedCall[] => [
      {
        client: 'SecretsManager',
        operation: 'CreateSecret',
        input: {
          Name: secretNameFor(functionName, match.name),
          SecretString: `<value of ${match.name}>`,
          KmsKeyId: settings.kmsKey,
          Tags: [
            { Key: MANAGED_TAG, Value: 'true' },
            { Key: FUNCTION_TAG, Value: finding.resourceArn },
          ],
        },
      },
      {
        client: 'SecretsManager',
        operation: 'PutResourcePolicy',
        input: { SecretId: secretNameFor(functionName, match.name), ResourcePolicy: readPolicyFor('<function execution role>'), BlockPublicPolicy: true },
      },
    ]);
    const variables = Object.fromEntries(flagged.map((match) => [`${match.name}${SECRET_ARN_SUFFIX}`, `<ARN of ${secretNameFor(functionName, match.name)}>`]));
    calls.push({
      client: 'Lambda',
      operation: 'UpdateFunctionConfiguration',
      input: { FunctionName: finding.resourceArn, RevisionId: '<current revision>', Environment: { Variables: { '<other variables>': '<unchanged>', ...variables } } },
    });
    return { calls, notes: [CODE_NOTE, `Variables moved: ${flagged.map((match) => match.name).join(', ')}.`] };
  },

  async apply(finding, settings, clients) {
    const state = await fetchSettled(detector, finding, settings, clients);
    if (!state) throw new FatalRemediationError(`function ${finding.resourceArn} no longer exists`);
    const evaluation = await detector.evaluate(state, settings);
    if (evaluation.status !== 'NON_COMPLIANT') return { changed: false };
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
      await clients.secretsManager.send(new PutResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: readPolicyFor(state.role), BlockPublicPolicy: true }));
      delete variables[name];
      variables[target] = secretArn;
      moved.push({ name, secretArn });
    }
    try {
      await clients.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: state.functionArn, RevisionId: state.revisionId, Environment: { Variables: variables } }),
      );
    } catch (error) {
      throw retryableLambdaError(error, state.functionArn);
    }
    return { changed: true, undo: { functionArn: state.functionArn, moved } };
  },

  verify: (finding, settings, clients, poll) => verifyWithDetector(detector, finding, settings, clients, poll),

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
        new UpdateFunctionConfigurationCommand({ FunctionName: record.functionArn, RevisionId: config.RevisionId, Environment: { Variables: variables } }),
      );
    } catch (error) {
      throw retryableLambdaError(error, record.functionArn);
    }
  },
};
