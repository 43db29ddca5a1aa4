import type { CheckSettings } from '../../core/catalogue';
import { AWS_MANAGED_SECRETS_KEY, WARDEN_SECRET_PREFIX, WARDEN_SECRETS_KEY } from '../../core/catalogue/lambda-function-env-secrets';
import type { Finding } from '../../core/finding';
import type { SecretMatch } from '../../detectors/secret-scanner/scan-variables';
import type { PlannedCall, RemediationPlan } from '../remediator';

/*
 * The pure half of the Lambda environment fix: names, policies and the plan (the workflow's Plan state
 * runs it, and no AWS call is made).
 */

export const MANAGED_TAG = 'warden:managed';
export const FUNCTION_TAG = 'warden:function-arn';
import { POINTER_SUFFIX as SECRET_ARN_SUFFIX } from '../../detectors/lambda-function-env-secrets';

export { SECRET_ARN_SUFFIX };

/** Lambda's limit on a function's environment variables, all keys and values together. */
export const ENVIRONMENT_LIMIT_BYTES = 4096;

/**
 * The size the environment is held to, measured on its JSON form (keys, values, quotes and separators):
 * at least what Lambda counts, so a change that passes here is never refused there.
 */
export function environmentBytes(variables: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(JSON.stringify(variables), 'utf8');
}

/** A secret's ARN before it exists: Secrets Manager adds a dash and six random characters to the name. */
export function projectedSecretArn(functionArn: string, secretName: string): string {
  const [, partition, , region, account] = functionArn.split(':');
  return `arn:${partition ?? 'aws'}:secretsmanager:${region ?? ''}:${account ?? ''}:secret:${secretName}-XXXXXX`;
}

export interface MovedVariable {
  readonly name: string;
  readonly secretArn: string;
}

export interface EnvSecretsUndo {
  readonly functionArn: string;
  readonly moved: readonly MovedVariable[];
  /** True between the phases of a two-phase migration: NAME is still set beside NAME_SECRET_ARN. */
  readonly plaintextKept?: boolean;
}

const CODE_NOTE =
  "The function's code must read each moved value from Secrets Manager at start-up (e.g. the AWS Parameters and Secrets Lambda Extension, or GetSecretValue on <NAME>_SECRET_ARN): after this change <NAME> is no longer set.";

function twoPhaseNotes(names: string, settings: CheckSettings<'lambda-function-env-secrets'>): string[] {
  return [
    `Phase 1 adds <NAME>_SECRET_ARN beside ${names}, which stay, so nothing breaks; the owner is told the exact code change (Node.js, Python, or the AWS Parameters and Secrets Lambda Extension).`,
    `Phase 2 removes ${names} once the owner confirms, or after ${settings.removePlaintextAfter} if nobody does, and only if the function's error rate has not risen by more than ${settings.maxErrorRateRise * 100}% since phase 1; its errors are then watched for ${settings.healthWindow}. If they rise, Warden stops and escalates.`,
  ];
}

/** Who must act so the function can decrypt its secrets, when the key is not one Warden can vouch for. */
function keyNote(kmsKey: string): string[] {
  if (kmsKey === AWS_MANAGED_SECRETS_KEY || kmsKey === WARDEN_SECRETS_KEY) return [];
  return [
    `The secrets are encrypted with ${kmsKey}: its key policy must allow the function's role kms:Decrypt through Secrets Manager, or the function cannot read them. The key's owner must grant it.`,
  ];
}

/** The variable that names a moved variable's secret. */
export const pointerOf = (name: string): string => `${name}${SECRET_ARN_SUFFIX}`;

export function secretNameFor(functionName: string, variable: string): string {
  return `${WARDEN_SECRET_PREFIX}lambda/${functionName}/${variable}`;
}

/** Lets exactly one role read exactly this secret, through the secret's own resource policy. */
export function readPolicyFor(roleArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'FunctionRoleReadsThisSecret', Effect: 'Allow', Principal: { AWS: roleArn }, Action: 'secretsmanager:GetSecretValue', Resource: '*' },
    ],
  });
}

export function flaggedOf(finding: Finding): SecretMatch[] {
  const flagged = finding.evidence['flagged'];
  return Array.isArray(flagged) ? (flagged as SecretMatch[]) : [];
}

export function functionNameOf(arn: string): string {
  return arn.split(':')[6] ?? arn;
}

/** Pure: the calls `apply` would make, with placeholders instead of values. */
export function planEnvSecrets(finding: Finding, settings: CheckSettings<'lambda-function-env-secrets'>): RemediationPlan {
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
      input: {
        SecretId: secretNameFor(functionName, match.name),
        ResourcePolicy: readPolicyFor('<function execution role>'),
        BlockPublicPolicy: true,
      },
    },
  ]);
  const variables = Object.fromEntries(
    flagged.map((match) => [`${match.name}${SECRET_ARN_SUFFIX}`, `<ARN of ${secretNameFor(functionName, match.name)}>`]),
  );
  const twoPhase = settings.migration === 'two-phase';
  const kept = Object.fromEntries(flagged.map((match) => [match.name, '<unchanged until phase 2>']));
  calls.push({
    client: 'Lambda',
    operation: 'UpdateFunctionConfiguration',
    input: {
      FunctionName: finding.resourceArn,
      RevisionId: '<current revision>',
      Environment: { Variables: { '<other variables>': '<unchanged>', ...(twoPhase ? kept : {}), ...variables } },
    },
  });
  if (twoPhase)
    calls.push({
      client: 'Lambda',
      operation: 'UpdateFunctionConfiguration',
      input: {
        FunctionName: finding.resourceArn,
        RevisionId: '<revision after phase 1>',
        Environment: { Variables: { '<other variables>': '<unchanged>', ...variables } },
      },
    });
  const names = flagged.map((match) => match.name).join(', ');
  return {
    calls,
    notes: [
      ...(twoPhase ? twoPhaseNotes(names, settings) : [CODE_NOTE]),
      `Variables moved: ${names}.`,
      `The values were exposed in plain text (in the function's configuration, to anyone who could read it): rotate them. Published versions and aliases keep their own copy of the environment until a new version replaces them.`,
      `The fix is refused, and nothing is created, if the environment would exceed Lambda's 4 KB limit with the secret ARNs.`,
      ...keyNote(settings.kmsKey),
    ],
  };
}
