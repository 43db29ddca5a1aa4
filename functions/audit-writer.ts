import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from '../core/aws/document-client';
import { AuditStore } from '../core/audit/audit-store';
import { AUDIT_WRITER_SERVICE, recordFromEvent } from '../core/audit/audit-writer';
import { MalformedEventError } from '../core/events/errors';
import { lambdaClientConfig, lambdaHandler, observability, requiredEnv } from './runtime';

const tools = observability(AUDIT_WRITER_SERVICE);
const { tracer, log, counters } = tools;
const store = new AuditStore(
  new DocumentClient(tracer.captureAWSv3Client(new DynamoDBClient(lambdaClientConfig()))),
  requiredEnv('WARDEN_AUDIT_TABLE'),
);

/** The hub's audit writer: appends each workflow audit event to the hash-chained audit table. */
export const handler = lambdaHandler(tools, async (event: unknown): Promise<void> => {
  try {
    const record = await store.append(recordFromEvent(event, new Date()));
    counters.count('AuditRecordAppended');
    // One count per state, for the organization's alarms and dashboard (a handful of metrics in the hub).
    counters.count(`Recorded${record.state}`);
    // The dashboard's table reads these keys: account, region, check, state.
    log.info('audit record appended', {
      findingId: record.findingId,
      seq: record.seq,
      state: record.state,
      account: record.account,
      region: record.region,
      check: record.check,
    });
  } catch (error) {
    if (error instanceof MalformedEventError) {
      const envelope = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
      log.error('malformed audit event', {
        eventId: envelope['id'],
        detailType: envelope['detail-type'],
        account: envelope['account'],
        problem: error.message,
      });
      counters.count('MalformedAuditEvent');
    }
    throw error;
  }
});
