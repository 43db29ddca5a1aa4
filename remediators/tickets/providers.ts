import { createHmac } from 'node:crypto';
import { requestJson, type RetryOptions, sleeperOf, TicketProviderError, TicketRedirectError } from './http';
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

/** A create whose outcome is unknown: no answer, a 5xx, or a 2xx Warden could not read (never a redirect or a 4xx). */
const mayHaveCreated = (error: unknown): boolean =>
  error instanceof TicketProviderError &&
  !(error instanceof TicketRedirectError) &&
  (error.status === undefined || error.status >= 500 || (error.status >= 200 && error.status < 300));

/**
 * Looks for the finding's ticket, and creates it only if there is none, with the create sent once per
 * attempt: an HTTP retry of a create whose answer was lost would open a second ticket. After an unknown
 * outcome it waits, looks again (a search may lag a create by seconds), and only then creates again.
 */
async function findOrCreate(
  find: () => Promise<OpenedTicket | undefined>,
  create: () => Promise<OpenedTicket>,
  retry: RetryOptions = {},
): Promise<OpenedTicket> {
  const attempts = retry.attempts ?? 3;
  const sleep = sleeperOf(retry);
  for (let attempt = 1; ; attempt += 1) {
    const existing = await find();
    if (existing) return existing;
    try {
      return await create();
    } catch (error) {
      if (!mayHaveCreated(error) || attempt >= attempts) throw error;
      // No jitter here: the wait is for the provider's search to catch up with a create, so it must not be near 0.
      await sleep(Math.min(retry.maxDelayMs ?? 20_000, 2_000 * 2 ** (attempt - 1)));
    }
  }
}
/** A create is sent again only by findOrCreate, after a look; 429 (nothing created) is still retried in place. */
const once = (retry?: RetryOptions): RetryOptions => ({ ...retry, retryUnknownOutcome: false });

/** Jira Cloud REST v3; the description in Atlassian Document Format. */
export function jiraProvider(
  config: { baseUrl: string; project: string; issueType: string; email: string; apiToken: string },
  retry?: RetryOptions,
): TicketProvider {
  return async (content, findingId) => {
    const description = {
      type: 'doc',
      version: 1,
      content: content.sections.flatMap((section) => [
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: section.heading }] },
        {
          type: 'bulletList',
          content: section.lines.map((line) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: line }] }] })),
        },
      ]),
    };
    const base = config.baseUrl.replace(/\/$/, '');
    const headers = {
      authorization: `Basic ${Buffer.from(`${config.email}:${config.apiToken}`).toString('base64')}`,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const opened = (key: string) => ({ ticketKey: key, url: `${base}/browse/${key}` });
    const label = findingLabel(findingId);
    const jql = `project = "${config.project}" AND labels = "${label}" ORDER BY created ASC`;
    const find = async () => {
      const { body: found } = await requestJson(
        `${base}/rest/api/3/search/jql?${new URLSearchParams({ jql, fields: 'key', maxResults: '1' }).toString()}`,
        { method: 'GET', headers },
        retry,
      );
      const existing = (found as { issues?: { key?: unknown }[] }).issues?.[0]?.key;
      return typeof existing === 'string' ? opened(existing) : undefined;
    };
    const create = async () => {
      const { status, body } = await requestJson(
        `${base}/rest/api/3/issue`,
        {
          method: 'POST',
          headers,
          body: JSON.stringify({
            fields: {
              project: { key: config.project },
              summary: content.title,
              issuetype: { name: config.issueType },
              description,
              labels: [...content.labels, label].map((entry) => entry.replace(/\s/g, '-')),
            },
          }),
        },
        once(retry),
      );
      const key = (body as { key?: unknown }).key;
      if (typeof key !== 'string') throw new TicketProviderError(`Jira answered HTTP ${status} without an issue key`, status);
      return opened(key);
    };
    return findOrCreate(find, create, retry);
  };
}

/** GitHub Issues REST API. */
export function githubProvider(
  config: { repository: string; token: string; labels: readonly string[]; apiUrl?: string },
  retry?: RetryOptions,
): TicketProvider {
  return async (content, findingId) => {
    const issues = `${(config.apiUrl ?? 'https://api.github.com').replace(/\/$/, '')}/repos/${config.repository}/issues`;
    const headers = {
      authorization: `Bearer ${config.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json',
      'user-agent': 'warden',
    };
    const opened = (issue: { number?: unknown; html_url?: unknown }) => ({
      ticketKey: `${config.repository}#${String(issue.number)}`,
      ...(typeof issue.html_url === 'string' ? { url: issue.html_url } : {}),
    });
    const label = findingLabel(findingId);
    const find = async () => {
      const { body: found } = await requestJson(
        `${issues}?${new URLSearchParams({ labels: label, state: 'all', per_page: '10', direction: 'asc' }).toString()}`,
        { method: 'GET', headers },
        retry,
      );
      // The issues list also returns pull requests (they carry `pull_request`): a labelled PR is not the ticket.
      const existing = (Array.isArray(found) ? (found as { number?: unknown; html_url?: unknown; pull_request?: unknown }[]) : []).find(
        (item) => item.pull_request === undefined && typeof item.number === 'number',
      );
      return existing ? opened(existing) : undefined;
    };
    const create = async () => {
      const { status, body } = await requestJson(
        issues,
        {
          method: 'POST',
          headers,
          body: JSON.stringify({
            title: content.title,
            body: renderMarkdown(content),
            labels: [...new Set([...config.labels, ...content.labels, label])],
          }),
        },
        once(retry),
      );
      const issue = body as { number?: unknown; html_url?: unknown };
      if (typeof issue.number !== 'number') throw new TicketProviderError(`GitHub answered HTTP ${status} without an issue number`, status);
      return opened(issue);
    };
    return findOrCreate(find, create, retry);
  };
}

/** Signature header of the generic webhook: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A generic JSON webhook, signed with HMAC-SHA256 so the receiver can check it came from Warden. */
export function webhookProvider(
  config: { url: string; signingSecret: string },
  retry?: RetryOptions,
  now: () => Date = () => new Date(),
): TicketProvider {
  return async (content, findingId) => {
    const body = JSON.stringify({ source: 'warden', findingId, title: content.title, sections: content.sections, labels: content.labels });
    const timestamp = String(Math.floor(now().getTime() / 1000));
    // A webhook cannot be searched: the receiver deduplicates on Idempotency-Key, so retrying the POST is safe.
    const { body: answer } = await requestJson(
      config.url,
      // The receiver deduplicates on Idempotency-Key (the finding id): Warden cannot search a webhook.
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': findingLabel(findingId),
          'x-warden-timestamp': timestamp,
          'x-warden-signature': webhookSignature(config.signingSecret, timestamp, body),
        },
        body,
      },
      retry,
    );
    const key = (answer as { ticketKey?: unknown; id?: unknown }).ticketKey ?? (answer as { id?: unknown }).id;
    return { ticketKey: typeof key === 'string' || typeof key === 'number' ? String(key) : `webhook:${findingId}` };
  };
}
