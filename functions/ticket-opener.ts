import { AuditStore } from '../core/audit/audit-store';
import type { Policy } from '../core/policy/schema';
import type { SecretValues } from '../core/secrets/secret-values';
import { callbackDeliverer } from '../core/callbacks/task-callback';
import { openTicket } from '../remediators/tickets/open-ticket';
import { githubProvider, jiraProvider, type TicketProvider, webhookProvider } from '../remediators/tickets/providers';
import { parseTicketRequest } from '../remediators/tickets/ticket-request';
import { TicketStore } from '../remediators/tickets/ticket-store';
import { callbackSts } from './callback-sts';
import { requiredSecrets } from './hub-clients';
import { hubDocumentClient } from './hub-document-client';
import { hubSecrets } from './hub-secrets';
import { embeddedPolicy, lambdaHandler, observability, requiredEnv } from './runtime';

const tools = observability('warden-ticket-opener');
const { tracer, log, counters } = tools;
const document = hubDocumentClient(tracer);
const secrets = hubSecrets(tracer);
const tickets = embeddedPolicy().tickets;
const credentialReference = tickets?.jira?.credentials ?? tickets?.github?.token ?? tickets?.webhook?.signingSecret;
const secretsReady = requiredSecrets(secrets, credentialReference ? [credentialReference] : []);

/** The policy's provider, with its credentials from Secrets Manager. */
async function providerFor(config: Policy['tickets'], secrets: SecretValues): Promise<TicketProvider> {
  if (config?.provider === 'jira' && config.jira) {
    const { email, apiToken } = await secrets.getJson(config.jira.credentials, ['email', 'apiToken']);
    return jiraProvider({ baseUrl: config.jira.baseUrl, project: config.jira.project, issueType: config.jira.issueType, email, apiToken });
  }
  if (config?.provider === 'github' && config.github)
    return githubProvider({ repository: config.github.repository, token: await secrets.get(config.github.token), labels: config.github.labels });
  if (config?.provider === 'webhook' && config.webhook)
    return webhookProvider({ url: config.webhook.url, signingSecret: await secrets.get(config.webhook.signingSecret) });
  throw new Error('the policy configures no ticket provider');
}

const deps = {
  provider: () => providerFor(tickets, secrets),
  store: new TicketStore(document, requiredEnv('WARDEN_APPROVALS_TABLE')),
  audit: new AuditStore(document, requiredEnv('WARDEN_AUDIT_TABLE')),
  deliver: callbackDeliverer(callbackSts(tracer), 'warden-ticket'),
  log,
  metrics: counters,
  now: () => new Date(),
};

/** Opens (or reuses) the ticket for each 'Warden Ticket Requested' event on the hub bus. */
export const handler = lambdaHandler(tools, async (event: unknown): Promise<{ ticketKey: string }> => {
  await secretsReady();
  return openTicket(parseTicketRequest(event), deps);
});
