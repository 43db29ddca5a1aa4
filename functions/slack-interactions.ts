import { AuditStore } from '../core/audit/audit-store';
import { ApprovalStore } from '../remediators/slack/approval-store';
import { approverCheck, postToResponseUrl } from '../remediators/slack/approvers';
import { callbackDeliverer } from '../core/callbacks/task-callback';
import { handleInteraction } from '../remediators/slack/handle-interaction';
import { callbackSts } from './callback-sts';
import { lazySlack, requiredSecrets, slackConfig } from './hub-clients';
import { hubDocumentClient } from './hub-document-client';
import { hubSecrets } from './hub-secrets';
import { embeddedPolicy, lambdaHandler, observability, requiredEnv } from './runtime';

const tools = observability('warden-slack-interactions');
const { tracer, log, counters } = tools;
const document = hubDocumentClient(tracer);
const secrets = hubSecrets(tracer);
const config = slackConfig(embeddedPolicy());
const slack = lazySlack(secrets, config.botToken);
const secretsReady = requiredSecrets(secrets, [config.signingSecret, config.botToken]);
const deps = {
  signingSecret: () => secrets.get(config.signingSecret),
  store: new ApprovalStore(document, requiredEnv('WARDEN_APPROVALS_TABLE')),
  audit: new AuditStore(document, requiredEnv('WARDEN_AUDIT_TABLE')),
  isApprover: approverCheck(config.approvers, async (usergroup) => (await (await slack()).usergroups.users.list({ usergroup })).users ?? []),
  deliver: callbackDeliverer(callbackSts(tracer), 'warden-slack-approval'),
  respond: postToResponseUrl,
  responseUrlPrefix: 'https://hooks.slack.com/',
  log,
  metrics: counters,
  now: () => new Date(),
};

interface ProxyEvent {
  readonly httpMethod?: string;
  readonly body: string | null;
  readonly isBase64Encoded?: boolean;
  readonly headers?: Record<string, string | undefined> | null;
}

/** API Gateway (REST, Lambda proxy) → Slack interaction handling. */
export const handler = lambdaHandler(tools, async (event: ProxyEvent): Promise<{ statusCode: number; body: string }> => {
  await secretsReady();
  const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return handleInteraction({ method: event.httpMethod ?? '', rawBody, headers }, deps);
});
