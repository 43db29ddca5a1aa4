import { ApprovalStore } from '../remediators/slack/approval-store';
import { requestApproval } from '../remediators/slack/request-approval';
import { lazySlack, requiredSecrets, slackConfig } from './hub-clients';
import { hubDocumentClient } from './hub-document-client';
import { hubSecrets } from './hub-secrets';
import { embeddedPolicy, lambdaHandler, observability, requiredEnv } from './runtime';

const tools = observability('warden-slack-notifier');
const { tracer, log, counters } = tools;
const secrets = hubSecrets(tracer);
const config = slackConfig(embeddedPolicy());
const store = new ApprovalStore(hubDocumentClient(tracer), requiredEnv('WARDEN_APPROVALS_TABLE'));
const slack = lazySlack(secrets, config.botToken);
const secretsReady = requiredSecrets(secrets, [config.botToken]);

/** Posts an approval request to Slack for each 'Warden Approval Requested' event on the hub bus. */
export const handler = lambdaHandler(tools, async (event: unknown): Promise<string> => {
  await secretsReady();
  return requestApproval(event, { store, slack, config, log, metrics: counters, now: () => new Date() });
});
