import { dynamodbTables } from '../events/cloudtrail-resources';
import { formats } from '../policy/formats';
import type { CheckDefinition, CheckPolicyProblem, CheckSettingsLayer, PermissionStatement } from './types';
import { lazy } from '../policy/zod';

const TABLE = 'arn:{partition}:dynamodb:{region}:{account}:table/*';
const KEY = 'arn:{partition}:kms:{region}:{account}:key/*';

const DEFAULTS = { kmsKey: 'alias/aws/dynamodb', requireCustomerManagedKey: false };

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) => {
  const { kmsKeyReference } = formats();
  return z
    .strictObject({
      kmsKey: kmsKeyReference
        .default(DEFAULTS.kmsKey)
        .describe('KMS key the fix encrypts with: alias/<name>, a key id or a key ARN. alias/aws/dynamodb is the AWS managed key.'),
      requireCustomerManagedKey: z
        .boolean()
        .default(DEFAULTS.requireCustomerManagedKey)
        .describe('When true, a table encrypted with an AWS managed key is noncompliant too (checked with kms:DescribeKey).'),
    })
    .describe('DynamoDB table encryption settings');
});

export const dynamodbTableEncryption = {
  id: 'dynamodb-table-encryption',
  title: 'DynamoDB tables are encrypted with a KMS key',
  noncompliantWhen:
    'the table uses the AWS owned key (no SSEDescription), or the policy demands a customer managed key and the table uses an AWS managed one',
  fix: 'UpdateTable with SSESpecification {Enabled, SSEType: KMS, KMSMasterKeyId}; undo, while the table is still on the KMS key Warden set, restores the previous SSE specification',
  resourceType: 'AWS::DynamoDB::Table',
  cloudTrail: [
    {
      eventSource: 'dynamodb.amazonaws.com',
      eventNames: ['CreateTable', 'UpdateTable', 'RestoreTableFromBackup', 'RestoreTableToPointInTime', 'ImportTable'],
      resources: dynamodbTables,
    },
  ],
  configResourceType: 'AWS::DynamoDB::Table',
  clients: { detect: ['dynamodb', 'kms'], remediate: ['dynamodb', 'kms'] },
  permissions: {
    detect: [
      { actions: ['dynamodb:DescribeTable', 'dynamodb:ListTagsOfResource'], resources: [TABLE] },
      { actions: ['dynamodb:ListTables'], resources: ['*'] },
      { actions: ['kms:DescribeKey'], resources: [KEY] },
    ],
    remediate: [{ actions: ['dynamodb:DescribeTable', 'dynamodb:UpdateTable'], resources: [TABLE] }],
  },
  policyPermissions: (settings: Record<string, unknown>): PermissionStatement[] => {
    const kmsKey = String(settings['kmsKey']);
    // The AWS managed key's own policy lets DynamoDB use it for every principal of the account.
    if (kmsKey.startsWith('alias/aws/')) return [];
    // Only the policy's key: by ARN, by key id, or by the alias the policy names (kms:ResourceAliases).
    const key = kmsKey.startsWith('arn:') ? kmsKey : kmsKey.startsWith('alias/') ? KEY : `arn:{partition}:kms:{region}:{account}:key/${kmsKey}`;
    const byAlias: Record<string, Record<string, string>> = kmsKey.startsWith('alias/')
      ? { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': kmsKey } }
      : {};
    return [
      // apply checks the key exists before it asks DynamoDB to use it.
      { actions: ['kms:DescribeKey'], resources: [key], ...(Object.keys(byAlias).length > 0 ? { conditions: byAlias } : {}) },
      {
        // What DynamoDB's encryption guide lists for the caller that moves a table to a customer managed key:
        // DynamoDB uses the key, and creates its grant, in the caller's name.
        actions: [
          'kms:CreateGrant',
          'kms:Decrypt',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
        ],
        resources: [key],
        conditions: { ...byAlias, StringLike: { 'kms:ViaService': 'dynamodb.*.amazonaws.com' } },
      },
    ];
  },
  // requireCustomerManagedKey with an AWS managed kmsKey: every table would be judged noncompliant, and no fix could pass.
  policyChecks: (layer: CheckSettingsLayer): CheckPolicyProblem[] => {
    const kmsKey = [layer.own['kmsKey'], layer.base['kmsKey']].find((value): value is string => typeof value === 'string') ?? 'alias/aws/dynamodb';
    const required = layer.own['requireCustomerManagedKey'] ?? layer.base['requireCustomerManagedKey'] ?? false;
    if (required !== true || !kmsKey.startsWith('alias/aws/')) return [];
    return [
      {
        path: [...layer.path, layer.own['requireCustomerManagedKey'] !== undefined ? 'requireCustomerManagedKey' : 'kmsKey'],
        severity: 'error',
        message: `requireCustomerManagedKey is true but kmsKey is ${kmsKey}, an AWS managed key: every fix would be judged noncompliant again. Set kmsKey to a customer managed key`,
      },
    ];
  },
  iacHint: {
    cloudFormation: 'AWS::DynamoDB::Table SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId }',
    cdk: 'dynamodb.Table encryption: TableEncryption.AWS_MANAGED (or CUSTOMER_MANAGED with encryptionKey)',
  },
  physicalId: (resourceArn: string) => resourceArn.split(':table/')[1],
  defaultMode: 'auto',
  severity: 'medium',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
