import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AuditStore } from '../core/audit/audit-store';
import { ApprovalStore } from '../remediators/slack/approval-store';
import { callbackDeliverer } from '../core/callbacks/task-callback';
import { type SweepResult, sweepApprovals } from '../remediators/slack/sweep-approvals';
import { callbackSts } from './callback-sts';
import { hubDocumentClient } from './hub-document-client';
import { lambdaHandler, observability, requiredEnv } from './runtime';

const tools = observability('warden-approval-expiry');
const { tracer, log, counters } = tools;
const document = hubDocumentClient(tracer);
const store = new ApprovalStore(document, requiredEnv('WARDEN_APPROVALS_TABLE'));
const deps = {
  store,
  deliver: callbackDeliverer(callbackSts(tracer), 'warden-approval-sweep'),
  audit: new AuditStore(document, requiredEnv('WARDEN_AUDIT_TABLE')),
  log,
  metrics: counters,
};

/** Every 15 minutes: approvals that expire within the hour (the metric behind the alarm), and stale deliveries completed. */
export const handler = lambdaHandler(tools, async (): Promise<SweepResult> => {
  const result = await sweepApprovals(store, deps, new Date());
  tools.metrics.addMetric('ApprovalsNearingExpiry', MetricUnit.Count, result.nearingExpiry);
  return result;
});
