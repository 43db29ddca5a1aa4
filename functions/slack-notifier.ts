import { ApprovalStore } from '../remediators/slack/approval-store';
import { requestApproval } from '../remediators/slack/request-approval';
import { hubClients, lazySlack, requiredSecrets, slackConfig } from './hub-clients';
import { embeddedPolicy, observability, requiredEnv } from './runtime';

const { metrics, tracer, log, counters } = observability('warden-slack-notifier');
const clients = hubClients(tracer);
const config = slackConfig(embeddedPolicy());
const store = new ApprovalStore(clients.document, requiredEnv('WARDEN_APPROVALS_TABLE'));
const slack = lazySlack(clients.secrets, config.botToken);
const secretsReady = requiredSecrets(clients.secrets, [config.botToken]);

/** Posts an approval request to Slack for each 'Warden Approval Requested' event on the hub bus. */
export async function handler(event: unknown): Promise<string> {
  try {
    await secretsReady();
    return await requestApproval(event, { store, slack, config, log, metrics: counters, now: () => new Date() });
  } finally {
    metrics.publishStoredMetrics();
  }
}
