import {
  DescribeTableCommand,
  LimitExceededException,
  ResourceInUseException,
  UpdateTableCommand,
  type SSESpecification,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, NotFoundException } from '@aws-sdk/client-kms';
import { dynamodbTableEncryptionDetector as detector } from '../detectors/dynamodb-table-encryption';
import { FatalRemediationError, RetryableRemediationError } from './errors';
import type { Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

/** The AWS managed key: selected by leaving KMSMasterKeyId out. */
const AWS_MANAGED_KEY = 'alias/aws/dynamodb';

export interface TableEncryptionUndo {
  readonly tableName: string;
  /** The previous encryption: the AWS owned key, or a KMS key by ARN. */
  readonly previous: { readonly kind: 'AWS_OWNED' } | { readonly kind: 'KMS'; readonly kmsKeyArn: string };
  /** The key the fix set, by ARN, when Warden resolved it (a customer managed key); else only "a KMS key". */
  readonly setKmsKeyArn?: string;
}

function targetSpecification(kmsKey: string): SSESpecification {
  return kmsKey === AWS_MANAGED_KEY ? { Enabled: true, SSEType: 'KMS' } : { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: kmsKey };
}

function tableNameOf(arn: string): string {
  return arn.slice(arn.indexOf(':table/') + ':table/'.length);
}

export const dynamodbTableEncryptionRemediator: Remediator<'dynamodb-table-encryption', 'dynamodb' | 'kms', TableEncryptionUndo> = defineRemediator({
  check: 'dynamodb-table-encryption',
  detector,

  plan(finding, settings) {
    return {
      calls: [
        {
          client: 'DynamoDB',
          operation: 'UpdateTable',
          input: { TableName: tableNameOf(finding.resourceArn), SSESpecification: targetSpecification(settings.kmsKey) },
        },
      ],
      notes: ['Encryption changes in the background; the table stays available. Reads and writes are unaffected.'],
    };
  },

  async fix({ state }, finding, settings, clients) {
    let setKmsKeyArn: string | undefined;
    if (settings.kmsKey !== AWS_MANAGED_KEY) {
      try {
        const { KeyMetadata } = await clients.kms.send(new DescribeKeyCommand({ KeyId: settings.kmsKey }));
        setKmsKeyArn = KeyMetadata?.Arn;
      } catch (error) {
        if (error instanceof NotFoundException)
          throw new FatalRemediationError(`KMS key ${settings.kmsKey} does not exist in ${finding.region}`, { cause: error });
        throw error;
      }
    }
    const undo: TableEncryptionUndo = {
      tableName: state.tableName,
      previous: state.sse?.type === 'KMS' && state.sse.kmsKeyArn ? { kind: 'KMS', kmsKeyArn: state.sse.kmsKeyArn } : { kind: 'AWS_OWNED' },
      ...(setKmsKeyArn ? { setKmsKeyArn } : {}),
    };
    try {
      await clients.dynamodb.send(new UpdateTableCommand({ TableName: state.tableName, SSESpecification: targetSpecification(settings.kmsKey) }));
    } catch (error) {
      if (error instanceof ResourceInUseException || error instanceof LimitExceededException) {
        throw new RetryableRemediationError(`table ${state.tableName} cannot be updated now: ${error.name}`, { cause: error });
      }
      throw error;
    }
    return { changed: true, undo };
  },

  async prepareUndo(record, clients) {
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: record.tableName }));
    const sse = Table?.SSEDescription;
    const nowKind = sse && sse.Status !== 'DISABLED' && sse.SSEType === 'KMS' ? `KMS ${sse.KMSMasterKeyArn ?? ''}`.trim() : 'AWS owned key';
    const left = `KMS ${record.setKmsKeyArn ?? ''}`.trim();
    const asLeft = nowKind.startsWith('KMS') && (!record.setKmsKeyArn || sse?.KMSMasterKeyArn === record.setKmsKeyArn);
    const specification: SSESpecification =
      record.previous.kind === 'AWS_OWNED' ? { Enabled: false } : { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: record.previous.kmsKeyArn };
    const input = { TableName: record.tableName, SSESpecification: specification };
    return {
      drift: asLeft ? [] : [{ field: 'SSE', warden: left, now: nowKind }],
      calls: [{ client: 'DynamoDB', operation: 'UpdateTable', input }],
      notes: [
        record.previous.kind === 'AWS_OWNED'
          ? 'The table goes back to the AWS owned key; it stays available while the encryption changes.'
          : `The table goes back to ${record.previous.kmsKeyArn}; it stays available while the encryption changes.`,
      ],
      run: async () => void (await clients.dynamodb.send(new UpdateTableCommand(input))),
    };
  },
});
