import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ApprovalStore } from '../remediators/slack/approval-store';
import { hubClients } from './hub-clients';
import { observability, requiredEnv } from './runtime';

const { metrics, tracer, log } = observability('warden-approval-expiry');
const store = new ApprovalStore(hubClients(tracer).document, requiredEnv('WARDEN_APPROVALS_TABLE'));

/** Every 15 minutes: how many approvals expire within the hour (the metric behind the alarm). */
export async function handler(): Promise<number> {
  try {
    const soon = await store.nearingExpiry(3600, new Date());
    metrics.addMetric('ApprovalsNearingExpiry', MetricUnit.Count, soon.length);
    for (const approval of soon) log.warn('approval nearing expiry', { findingId: approval.findingId, account: approval.account, check: approval.check, expiresAt: approval.expiresAt });
    return soon.length;
  } finally {
    metrics.publishStoredMetrics();
  }
}
