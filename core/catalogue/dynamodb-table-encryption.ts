import { z } from 'zod';
import { kmsKeyReference } from '../policy/formats';
import type { CheckDefinition } from './types';

const TABLE = 'arn:{partition}:dynamodb:{region}:{account}:table/*';
const KEY = 'arn:{partition}:kms:{region}:{account}:key/*';

export const dynamodbTableEncryption = {
  id: 'dynamodb-table-encryption',
  title: 'DynamoDB tables are encrypted with a KMS key',
  noncompliantWhen:
    'the table uses the AWS owned key (no SSEDescription), or the policy demands a customer managed key and the table uses an AWS managed one',
  fix: 'UpdateTable with SSESpecification {Enabled, SSEType: KMS, KMSMasterKeyId}; undo restores the previous SSE specification',
  resourceType: 'AWS::DynamoDB::Table',
  cloudTrail: [
    {
      eventSource: 'dynamodb.amazonaws.com',
      eventNames: ['CreateTable', 'UpdateTable', 'RestoreTableFromBackup', 'RestoreTableToPointInTime', 'ImportTable'],
    },
  ],
  configResourceType: 'AWS::DynamoDB::Table',
  permissions: {
    detect: [
      { actions: ['dynamodb:DescribeTable', 'dynamodb:ListTagsOfResource'], resources: [TABLE] },
      { actions: ['dynamodb:ListTables'], resources: ['*'] },
      { actions: ['kms:DescribeKey'], resources: [KEY] },
    ],
    remediate: [
      { actions: ['dynamodb:DescribeTable', 'dynamodb:UpdateTable'], resources: [TABLE] },
      { actions: ['kms:DescribeKey'], resources: [KEY] },
      {
        // DynamoDB creates a grant on the key in the caller's name when a table moves to a KMS key.
        actions: ['kms:CreateGrant'],
        resources: [KEY],
        conditions: { StringLike: { 'kms:ViaService': 'dynamodb.*.amazonaws.com' }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ],
  },
  defaultMode: 'auto',
  settings: z
    .strictObject({
      kmsKey: kmsKeyReference
        .default('alias/aws/dynamodb')
        .describe('KMS key the fix encrypts with: alias/<name>, a key id or a key ARN. alias/aws/dynamodb is the AWS managed key.'),
      requireCustomerManagedKey: z
        .boolean()
        .default(false)
        .describe('When true, a table encrypted with an AWS managed key is noncompliant too (checked with kms:DescribeKey).'),
    })
    .describe('DynamoDB table encryption settings'),
} as const satisfies CheckDefinition;
