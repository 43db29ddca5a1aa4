import { lambdaFunctions } from '../events/cloudtrail-resources';
import { durationSeconds, formats } from '../policy/formats';
import type { CheckDefinition, CheckPolicyProblem, CheckSettingsLayer } from './types';
import { lazy } from '../policy/zod';

const FUNCTION = 'arn:{partition}:lambda:{region}:{account}:function:*';
/** Warden only ever creates, reads or deletes secrets under this prefix. */
export const WARDEN_SECRET_PREFIX = 'warden/';
/** Secrets Manager's AWS managed key: no key policy to maintain, usable by every principal of the account through Secrets Manager. */
export const AWS_MANAGED_SECRETS_KEY = 'alias/aws/secretsmanager';
/** The member stack's key, whose policy lets the account's principals decrypt Warden's secrets through Secrets Manager. */
export const WARDEN_SECRETS_KEY = 'alias/warden-secrets';
const WARDEN_SECRET = `arn:{partition}:secretsmanager:{region}:{account}:secret:${WARDEN_SECRET_PREFIX}*`;

export const MIGRATIONS = ['two-phase', 'immediate'] as const;

/** Bounds on the migration's waits: long enough to be honest, short enough that a Standard execution (1 year) holds them. */
const WAITS = { removePlaintextAfter: [3600, 90 * 86400, '1h and 90d'], healthWindow: [300, 7 * 86400, '5m and 7d'] } as const;

/** `immediate` is allowed, but never silently: the next start of the function without the code change fails. */
function migrationChecks(layer: CheckSettingsLayer): CheckPolicyProblem[] {
  const problems: CheckPolicyProblem[] = [];
  if (layer.own['migration'] === 'immediate')
    problems.push({
      path: [...layer.path, 'migration'],
      severity: 'warning',
      message:
        'migration immediate removes NAME in the same step that adds NAME_SECRET_ARN: a function whose code still reads NAME fails from its next cold start. two-phase (the default) waits for the owner',
    });
  for (const [key, [min, max, between]] of Object.entries(WAITS)) {
    const value = layer.own[key];
    if (typeof value === 'string' && /^\d+[smhd]$/.test(value) && (durationSeconds(value) < min || durationSeconds(value) > max))
      problems.push({ path: [...layer.path, key], severity: 'error', message: `expected ${key} between ${between}` });
  }
  return problems;
}

const DEFAULTS = {
  kmsKey: AWS_MANAGED_SECRETS_KEY,
  ignoreVariables: [],
  ignoreRules: [],
  migration: 'two-phase',
  removePlaintextAfter: '7d',
  healthWindow: '1h',
  maxErrorRateRise: 0.01,
};

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) => {
  const { duration, kmsKeyReference } = formats();
  return z
    .strictObject({
      kmsKey: kmsKeyReference
        .default(DEFAULTS.kmsKey)
        .describe(
          "KMS key the new secrets are encrypted with. The default, the AWS managed alias/aws/secretsmanager, lets every role the secret's policy allows read it. alias/warden-secrets (the member stack's key) allows the account's roles through Secrets Manager for Warden's secrets only. Any other customer managed key must allow the function's role kms:Decrypt: its owner must act.",
        ),
      ignoreVariables: z
        .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'))
        .default([])
        .describe('Variable names that are never reported (known non-secrets that look random).'),
      ignoreRules: z
        .array(
          z
            .string()
            .regex(
              /^(gitleaks|secretlint|warden):[a-z0-9-]+(@[A-Za-z_][A-Za-z0-9_]*)?$/,
              'expected a scanner rule id as findings name it, e.g. gitleaks:generic-api-key, optionally @VARIABLE',
            ),
        )
        .default([])
        .describe(
          'Scanner rules that never fire, by the id findings carry (gitleaks:generic-api-key), or never for one variable (gitleaks:generic-api-key@BUILD_TOKEN). Other rules still judge the value.',
        ),
      migration: z
        .enum(MIGRATIONS, { error: `expected a migration: ${MIGRATIONS.join(', ')}` })
        .default('two-phase')
        .describe(
          "two-phase: add NAME_SECRET_ARN beside NAME and tell the owner the code change; remove NAME once the owner confirms or removePlaintextAfter passes, and only while the function's error rate holds. immediate: replace NAME in one step, which breaks code that still reads NAME.",
        ),
      removePlaintextAfter: duration
        .default(DEFAULTS.removePlaintextAfter)
        .describe("How long the owner has to confirm the code change before Warden removes NAME anyway (if the function's errors did not rise)."),
      healthWindow: duration
        .default(DEFAULTS.healthWindow)
        .describe("How long the function's error rate is watched after NAME is removed, before the fix is recorded REMEDIATED."),
      maxErrorRateRise: z
        .number({ error: 'expected a fraction of invocations, e.g. 0.01' })
        .min(0)
        .max(1)
        .default(DEFAULTS.maxErrorRateRise)
        .describe(
          "How much the function's error rate (errors per invocation) may rise after a phase, against as long a time before it, before Warden stops and escalates.",
        ),
    })
    .describe('Lambda environment secret settings');
});

export const lambdaFunctionEnvSecrets = {
  id: 'lambda-function-env-secrets',
  title: 'Lambda functions keep no plaintext secret in their environment',
  noncompliantWhen:
    "an environment variable holds a plaintext secret, judged by gitleaks' and secretlint's maintained rules and Warden's own (connection strings, headers, raw keys and passwords under secret-like names); each finding names the rule that fired",
  fix: "moves each value to a KMS-encrypted Secrets Manager secret that only the function's role may read, in two phases: NAME_SECRET_ARN is added beside NAME and the owner is told the code change; NAME goes once the owner confirms or the deadline passes, while the function's error rate holds; undo, while NAME_SECRET_ARN is still Warden's, restores the variables and schedules the secrets for deletion with a 30-day recovery window",
  resourceType: 'AWS::Lambda::Function',
  cloudTrail: [
    {
      eventSource: 'lambda.amazonaws.com',
      eventNames: ['CreateFunction20150331', 'UpdateFunctionConfiguration20150331v2'],
      resources: lambdaFunctions,
    },
  ],
  configResourceType: 'AWS::Lambda::Function',
  evidenceItems: (evidence: Readonly<Record<string, unknown>>) => ({
    label: 'Flagged variables',
    items: (Array.isArray(evidence['flagged']) ? (evidence['flagged'] as { name: string; rule: string; fingerprint?: string }[]) : []).map(
      ({ name, rule, fingerprint }) => ({ name, detail: rule, ...(fingerprint ? { fingerprint } : {}) }),
    ),
  }),
  memberKey: {
    alias: WARDEN_SECRETS_KEY,
    // CreateSecret with Warden's key needs data keys from it; verify reads the value back.
    remediatorActions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'],
    // Functions whose secrets Warden moved read them through Secrets Manager: a statement on the account
    // root would only delegate to IAM policies, and no application role has kms:Decrypt on this key.
    accountPrincipals: {
      sid: 'ReadWardenSecretsViaSecretsManager',
      actions: ['kms:Decrypt'],
      conditions: {
        StringEquals: { 'kms:ViaService': 'secretsmanager.{region}.amazonaws.com' },
        StringLike: { 'kms:EncryptionContext:SecretARN': WARDEN_SECRET },
      },
    },
  },
  clients: { detect: ['lambda'], remediate: ['lambda', 'secretsManager', 'cloudwatch'] },
  permissions: {
    detect: [
      { actions: ['lambda:GetFunctionConfiguration', 'lambda:ListTags'], resources: [FUNCTION] },
      { actions: ['lambda:ListFunctions'], resources: ['*'] },
    ],
    remediate: [
      {
        // The versions and aliases listed are the copies of the value the fix cannot reach: the owner is told.
        actions: ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration', 'lambda:ListVersionsByFunction', 'lambda:ListAliases'],
        resources: [FUNCTION],
      },
      // The function's health between the phases: its own Errors and Invocations metrics. GetMetricData
      // has no resource-level permission.
      { actions: ['cloudwatch:GetMetricData'], resources: ['*'] },
      {
        // The function's role is granted read through the secret's resource policy, so the remediator
        // needs no IAM write permission at all.
        actions: [
          'secretsmanager:CreateSecret',
          'secretsmanager:TagResource',
          'secretsmanager:PutResourcePolicy',
          'secretsmanager:DescribeSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:GetSecretValue',
          // Undo schedules the secrets it made for deletion, with a recovery window; a fix made again
          // within that window restores Warden's own secret instead of failing on its name.
          'secretsmanager:DeleteSecret',
          'secretsmanager:RestoreSecret',
        ],
        resources: [WARDEN_SECRET],
      },
    ],
  },
  iacHint: {
    cloudFormation: 'AWS::Lambda::Function Environment.Variables: <NAME>_SECRET_ARN instead of <NAME>, and an AWS::SecretsManager::Secret',
    cdk: 'lambda.Function environment: { <NAME>_SECRET_ARN: secret.secretArn } with secret.grantRead(fn), instead of the plaintext value',
  },
  physicalId: (resourceArn: string) => resourceArn.split(':function:')[1]?.split(':')[0],
  defaultMode: 'approval',
  severity: 'high',
  staged: true,
  policyChecks: migrationChecks,
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
