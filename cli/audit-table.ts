import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditStore } from '../core/audit/audit-store';
import { type CommandIo, UsageError } from './io';

/** The audit store for a command: table from --table or WARDEN_AUDIT_TABLE (the hub stack's AuditTableName output). */
export function auditStoreFor(table: string | undefined, region: string | undefined, io: CommandIo): AuditStore {
  const name = table ?? io.env['WARDEN_AUDIT_TABLE'];
  if (!name) throw new UsageError('no audit table: pass --table (the AuditTableName output of Warden-Hub or Warden-Standalone) or set WARDEN_AUDIT_TABLE');
  const client = new DynamoDBClient({ ...(region ? { region } : {}) });
  return new AuditStore(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), name);
}
