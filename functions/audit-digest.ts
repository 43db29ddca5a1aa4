import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from '../core/aws/document-client';
import { AuditDigests } from '../core/audit/audit-digest';
import { lambdaClientConfig, lambdaHandler, observability, requiredEnv } from './runtime';

const tools = observability('warden-audit-digest');
const { tracer, log, counters } = tools;
const digests = new AuditDigests(
  new DocumentClient(tracer.captureAWSv3Client(new DynamoDBClient(lambdaClientConfig()))),
  requiredEnv('WARDEN_AUDIT_TABLE'),
);

/** Hourly: chains the heads of the findings that moved in each hour since the last digest. */
export const handler = lambdaHandler(tools, async (): Promise<{ periods: string[] }> => {
  const periods = await digests.writeUpTo(new Date());
  counters.count('AuditDigestsWritten', periods.length);
  log.info('audit digests written', { periods });
  return { periods };
});
