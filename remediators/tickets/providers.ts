import { createHmac } from 'node:crypto';
import { requestJson, type RetryOptions, TicketProviderError } from './http';
import { renderMarkdown, type TicketContent } from './ticket-request';

export interface OpenedTicket {
  readonly ticketKey: string;
  readonly url?: string;
}

export type TicketProvider = (content: TicketContent, findingId: string) => Promise<OpenedTicket>;

/**
 * The label every Warden ticket carries for its finding (GitHub allows 50 characters: this is 47). Each
 * provider looks for it before creating, so a retry after an answer that was lost or unreadable finds the
 * ticket the first attempt opened instead of opening a second one.
 */
export const findingLabel = (findingId: string): string => `warden-${findingId.slice(0, 40)}`;

/** Jira Cloud REST v3; the description in Atlassian Document Format. */
export function jiraProvider(config: { baseUrl: string; project: string; issueType: string; email: string; apiToken: string }, retry?: RetryOptions): TicketProvider {
  return async (content, findingId) => {
    const description = {
      type: 'doc',
      version: 1,
      content: content.sections.flatMap((section) => [
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: section.heading }] },
        { type: 'bulletList', content: section.lines.map((line) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: line }] }] })) },
      ]),
    };
    const base = config.baseUrl.replace(/\/$/, '');
    const headers = { authorization: `Basic ${Buffer.from(`${config.email}:${config.apiToken}`).toString('base64')}`, 'content-type': 'application/json', accept: 'application/json' };
    const opened = (key: string) => ({ ticketKey: key, url: `${base}/browse/${key}` });
    const label = findingLabel(findingId);
    const jql = `project = "${config.project}" AND labels = "${label}" ORDER BY created ASC`;
    const { body: found } = await requestJson(`${base}/rest/api/3/search/jql?${new URLSearchParams({ jql, fields: 'key', maxResults: '1' }).toString()}`, { method: 'GET', headers }, retry);
    const existing = (found as { issues?: { key?: unknown }[] }).issues?.[0]?.key;
    if (typeof existing === 'string') return opened(existing);
    const { status, body } = await requestJson(
      `${base}/rest/api/3/issue`,
      {
        method: 'POST',
        headers,
        body: JSON.stringify({ fields: { project: { key: config.project }, summary: content.title, issuetype: { name: config.issueType }, description, labels: [...content.labels, label].map((entry) => entry.replace(/\s/g, '-')) } }),
      },
      retry,
    );
    const key = (body as { key?: unknown }).key;
    if (typeof key !== 'string') throw new TicketProviderError(`Jira answered HTTP ${status} without an issue key`, status);
    return opened(key);
  };
}

/** GitHub Issues REST API. */
export function githubProvider(config: { repository: string; token: string; labels: readonly string[]; apiUrl?: string }, retry?: RetryOptions): TicketProvider {
  return async (content, findingId) => {
    const issues = `${(config.apiUrl ?? 'https://api.github.com').replace(/\/$/, '')}/repos/${config.repository}/issues`;
    const headers = { authorization: `Bearer ${config.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'content-type': 'application/json', 'user-agent': 'warden' };
    const opened = (issue: { number?: unknown; html_url?: unknown }) => ({ ticketKey: `${config.repository}#${String(issue.number)}`, ...(typeof issue.html_url === 'string' ? { url: issue.html_url } : {}) });
    const label = findingLabel(findingId);
    const { body: found } = await requestJson(`${issues}?${new URLSearchParams({ labels: label, state: 'all', per_page: '1', direction: 'asc' }).toString()}`, { method: 'GET', headers }, retry);
    const existing = Array.isArray(found) ? (found[0] as { number?: unknown; html_url?: unknown } | undefined) : undefined;
    if (typeof existing?.number === 'number') return opened(existing);
    const { status, body } = await requestJson(issues, { method: 'POST', headers, body: JSON.stringify({ title: content.title, body: renderMarkdown(content), labels: [...new Set([...config.labels, ...content.labels, label])] }) }, retry);
    const issue = body as { number?: unknown; html_url?: unknown };
    if (typeof issue.number !== 'number') throw new TicketProviderError(`GitHub answered HTTP ${status} without an issue number`, status);
    return opened(issue);
  };
}

/** Signature header of the generic webhook: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A generic JSON webhook, signed with HMAC-SHA256 so the receiver can check it came from Warden. */
export function webhookProvider(config: { url: string; signingSecret: string }, retry?: RetryOptions, now: () => Date = () => new Date()): TicketProvider {
  return async (content, findingId) => {
    const body = JSON.stringify({ source: 'warden', findingId, title: content.title, sections: content.sections, labels: content.labels });
    const timestamp = String(Math.floor(now().getTime() / 1000));
    const { body: answer } = await requestJson(
      config.url,
      // The receiver deduplicates on Idempotency-Key (the finding id): Warden cannot search a webhook.
      { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': findingLabel(findingId), 'x-warden-timestamp': timestamp, 'x-warden-signature': webhookSignature(config.signingSecret, timestamp, body) }, body },
      retry,
    );
    const key = (answer as { ticketKey?: unknown; id?: unknown }).ticketKey ?? (answer as { id?: unknown }).id;
    return { ticketKey: typeof key === 'string' || typeof key === 'number' ? String(key) : `webhook:${findingId}` };
  };
}
