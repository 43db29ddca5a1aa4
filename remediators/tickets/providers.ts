import { createHmac } from 'node:crypto';
import { requestJson, type RetryOptions, TicketProviderError } from './http';
import { renderMarkdown, type TicketContent } from './ticket-request';

export interface OpenedTicket {
  readonly ticketKey: string;
  readonly url?: string;
}

export type TicketProvider = (content: TicketContent, findingId: string) => Promise<OpenedTicket>;

/** Jira Cloud REST v3; the description in Atlassian Document Format. */
export function jiraProvider(config: { baseUrl: string; project: string; issueType: string; email: string; apiToken: string }, retry?: RetryOptions): TicketProvider {
  return async (content) => {
    const description = {
      type: 'doc',
      version: 1,
      content: content.sections.flatMap((section) => [
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: section.heading }] },
        { type: 'bulletList', content: section.lines.map((line) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: line }] }] })) },
      ]),
    };
    const { body } = await requestJson(
      `${config.baseUrl.replace(/\/$/, '')}/rest/api/3/issue`,
      {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${config.email}:${config.apiToken}`).toString('base64')}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ fields: { project: { key: config.project }, summary: content.title, issuetype: { name: config.issueType }, description, labels: content.labels.map((label) => label.replace(/\s/g, '-')) } }),
      },
      retry,
    );
    const key = (body as { key?: unknown }).key;
    if (typeof key !== 'string') throw new TicketProviderError('Jira answered without an issue key', 201);
    return { ticketKey: key, url: `${config.baseUrl.replace(/\/$/, '')}/browse/${key}` };
  };
}

/** GitHub Issues REST API. */
export function githubProvider(config: { repository: string; token: string; labels: readonly string[]; apiUrl?: string }, retry?: RetryOptions): TicketProvider {
  return async (content) => {
    const { body } = await requestJson(
      `${(config.apiUrl ?? 'https://api.github.com').replace(/\/$/, '')}/repos/${config.repository}/issues`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${config.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'content-type': 'application/json', 'user-agent': 'warden' },
        body: JSON.stringify({ title: content.title, body: renderMarkdown(content), labels: [...new Set([...config.labels, ...content.labels])] }),
      },
      retry,
    );
    const issue = body as { number?: unknown; html_url?: unknown };
    if (typeof issue.number !== 'number') throw new TicketProviderError('GitHub answered without an issue number', 201);
    return { ticketKey: `${config.repository}#${issue.number}`, ...(typeof issue.html_url === 'string' ? { url: issue.html_url } : {}) };
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
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-warden-timestamp': timestamp, 'x-warden-signature': webhookSignature(config.signingSecret, timestamp, body) }, body },
      retry,
    );
    const key = (answer as { ticketKey?: unknown; id?: unknown }).ticketKey ?? (answer as { id?: unknown }).id;
    return { ticketKey: typeof key === 'string' || typeof key === 'number' ? String(key) : `webhook:${findingId}` };
  };
}
