import { tracingCalls } from './aws-errors';
import { requestHandlerOf } from '../core/aws/client-config';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from '../core/aws/document-client';
import { AuditDigests } from '../core/audit/audit-digest';
import { AuditStore } from '../core/audit/audit-store';
import { type CommandIo, InputError } from './io';

/** The stacks that hold the audit trail, most specific first. */
export const AUDIT_STACKS = ['Warden-Hub', 'Warden-Standalone'] as const;

/** The audit table's name from a deployed stack's `AuditTableName` output. */
async function tableFromStackOutputs(cloudformation: CloudFormationClient): Promise<string | undefined> {
  for (const stackName of AUDIT_STACKS) {
    try {
      const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
      const output = Stacks?.[0]?.Outputs?.find((entry) => entry.OutputKey?.includes('AuditTableName'));
      if (output?.OutputValue) return output.OutputValue;
    } catch (error) {
      // A stack that does not exist here answers ValidationException: try the next one.
      if ((error as { name?: string }).name !== 'ValidationError' && (error as { name?: string }).name !== 'ValidationException') throw error;
    }
  }
  return undefined;
}

/**
 * The audit store for a command: the table from --table, else WARDEN_AUDIT_TABLE, else the
 * `AuditTableName` output of the deployed Warden-Hub or Warden-Standalone stack.
 */
export async function auditStoreFor(table: string | undefined, region: string | undefined, io: CommandIo): Promise<AuditStore> {
  return (await auditStoresFor(table, region, io)).store;
}

/** The audit store and the digest chain of the same table. */
export async function auditStoresFor(
  table: string | undefined,
  region: string | undefined,
  io: CommandIo,
): Promise<{ store: AuditStore; digests: AuditDigests }> {
  // Bounded calls (a person waits on this): the region is the flag's, else the SDK's own configuration.
  const config = {
    ...(region ? { region } : {}),
    maxAttempts: 3,
    requestHandler: requestHandlerOf(),
  };
  const name = table ?? io.env['WARDEN_AUDIT_TABLE'] ?? (await tableFromStackOutputs(tracingCalls(new CloudFormationClient(config))));
  if (!name) throw new InputError(`no audit table: pass --table, set WARDEN_AUDIT_TABLE, or deploy ${AUDIT_STACKS.join(' or ')} in this region`);
  const document = new DocumentClient(tracingCalls(new DynamoDBClient(config)));
  return { store: new AuditStore(document, name), digests: new AuditDigests(document, name) };
}
