import { z } from 'zod';
import { lambdaFunctions } from '../events/cloudtrail-resources';
import { kmsKeyReference } from '../policy/formats';
import type { CheckDefinition } from './types';

const FUNCTION = 'arn:{partition}:lambda:{region}:{account}:function:*';
/** Warden only ever creates, reads or deletes secrets under this prefix. */
export const WARDEN_SECRET_PREFIX = 'warden/';
/** Secrets Manager's AWS managed key: no key policy to maintain, usable by every principal of the account through Secrets Manager. */
export const AWS_MANAGED_SECRETS_KEY = 'alias/aws/secretsmanager';
/** The member stack's key, whose policy lets the account's principals decrypt Warden's secrets through Secrets Manager. */
export const WARDEN_SECRETS_KEY = 'alias/warden-secrets';
const WARDEN_SECRET = `arn:{partition}:secretsmanager:{region}:{account}:secret:${WARDEN_SECRET_PREFIX}*`;

export const lambdaFunctionEnvSecrets = {
  id: 'lambda-function-env-secrets',
  title: 'Lambda functions keep no plaintext secret in their environment',
  noncompliantWhen:
    'an environment variable holds a plaintext secret: a known token format, a private key, credentials in a URL, or a high-entropy value under a secret-like name',
  fix: "moves each value to a KMS-encrypted Secrets Manager secret, replaces NAME with NAME_SECRET_ARN and lets only the function's role read it; undo, while NAME_SECRET_ARN is still Warden's, restores the variables and schedules the secrets for deletion with a 30-day recovery window",
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
  clients: { detect: ['lambda'], remediate: ['lambda', 'secretsManager'] },
  permissions: {
    detect: [
      { actions: ['lambda:GetFunctionConfiguration', 'lambda:ListTags'], resources: [FUNCTION] },
      { actions: ['lambda:ListFunctions'], resources: ['*'] },
    ],
    remediate: [
      { actions: ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'], resources: [FUNCTION] },
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
          // Undo schedules the secrets it made for deletion, with a recovery window.
          'secretsmanager:DeleteSecret',
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
  settings: z
    .strictObject({
      kmsKey: kmsKeyReference
        .default(AWS_MANAGED_SECRETS_KEY)
        .describe(
          "KMS key the new secrets are encrypted with. The default, the AWS managed alias/aws/secretsmanager, lets every role the secret's policy allows read it. alias/warden-secrets (the member stack's key) allows the account's roles through Secrets Manager for Warden's secrets only. Any other customer managed key must allow the function's role kms:Decrypt: its owner must act.",
        ),
      ignoreVariables: z
        .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'))
        .default([])
        .describe('Variable names that are never reported (known non-secrets that look random).'),
    })
    .describe('Lambda environment secret settings'),
} as const satisfies CheckDefinition;
