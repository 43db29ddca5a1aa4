import { DescribeTableCommand, ListTablesCommand, ListTagsOfResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { tableArn } from '../core/aws/arns';
import type { Evaluation } from '../core/finding';
import type { Detector, FetchedState } from './detector';

export interface TableState extends FetchedState {
  readonly tableName: string;
  readonly tableStatus: string | undefined;
  /** Absent when the table uses the AWS owned key. */
  readonly sse?: { readonly status?: string; readonly type?: string; readonly kmsKeyArn?: string };
  /** `AWS` or `CUSTOMER`, read with kms:DescribeKey only when the policy requires a customer managed key. */
  readonly keyManager?: string;
}

const TRANSITIONS = new Set(['CREATING', 'UPDATING']);
const SSE_TRANSITIONS = new Set(['ENABLING', 'DISABLING', 'UPDATING']);

function tableName(arn: string): string {
  return arn.slice(arn.indexOf(':table/') + ':table/'.length);
}

export const dynamodbTableEncryptionDetector: Detector<'dynamodb-table-encryption', TableState, 'dynamodb' | 'kms'> = {
  check: 'dynamodb-table-encryption',

  async fetch(ref, clients, settings) {
    let table;
    try {
      ({ Table: table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName(ref.resourceArn) })));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
    if (!table) return undefined;
    const sseDescription = table.SSEDescription;
    const sse = sseDescription
      ? { status: sseDescription.Status, type: sseDescription.SSEType, kmsKeyArn: sseDescription.KMSMasterKeyArn }
      : undefined;
    let keyManager: string | undefined;
    if (settings.requireCustomerManagedKey && sse?.kmsKeyArn) {
      const { KeyMetadata } = await clients.kms.send(new DescribeKeyCommand({ KeyId: sse.kmsKeyArn }));
      keyManager = KeyMetadata?.KeyManager;
    }
    const { Tags } = await clients.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: table.TableArn ?? ref.resourceArn }));
    const tags = Object.fromEntries((Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
    return {
      ...(table.TableArn ? { resourceArn: table.TableArn } : {}),
      tableName: table.TableName ?? tableName(ref.resourceArn),
      tableStatus: table.TableStatus,
      ...(sse ? { sse } : {}),
      ...(keyManager ? { keyManager } : {}),
      tags,
    };
  },

  transitioning(state) {
    return TRANSITIONS.has(state.tableStatus ?? '') || SSE_TRANSITIONS.has(state.sse?.status ?? '');
  },

  async evaluate(state, settings): Promise<Evaluation> {
    const evidence = {
      tableName: state.tableName,
      sseType: state.sse?.type ?? 'AWS_OWNED',
      sseStatus: state.sse?.status ?? 'NONE',
      ...(state.sse?.kmsKeyArn ? { kmsKeyArn: state.sse.kmsKeyArn } : {}),
      ...(state.keyManager ? { keyManager: state.keyManager } : {}),
      requireCustomerManagedKey: settings.requireCustomerManagedKey,
    };
    if (!state.sse || state.sse.status === 'DISABLED' || state.sse.type !== 'KMS') {
      return { status: 'NON_COMPLIANT', reason: `table ${state.tableName} is encrypted with the AWS owned key, not a KMS key`, evidence };
    }
    if (settings.requireCustomerManagedKey && state.keyManager === 'AWS') {
      return {
        status: 'NON_COMPLIANT',
        reason: `table ${state.tableName} uses an AWS managed key; policy requires a customer managed key`,
        evidence,
      };
    }
    return { status: 'COMPLIANT', reason: `table ${state.tableName} is encrypted with a KMS key`, evidence };
  },

  async listPage(clients, { account, region }, cursor) {
    const page = await clients.dynamodb.send(new ListTablesCommand({ ...(cursor ? { ExclusiveStartTableName: cursor } : {}) }));
    const items = (page.TableNames ?? []).map((name) => ({
      ref: { check: 'dynamodb-table-encryption' as const, account, region, resourceArn: tableArn(region, account, name) },
    }));
    return { items, ...(page.LastEvaluatedTableName ? { next: page.LastEvaluatedTableName } : {}) };
  },
};
