import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createAuditTable, type LocalDynamoDb, startLocalDynamoDb } from '../../../../cli/local-dynamodb';
import { AuditStore } from '../../../../core/audit/audit-store';
import { TicketProviderError } from '../../../../remediators/tickets/http';
import { openTicket, type OpenTicketDeps } from '../../../../remediators/tickets/open-ticket';
import { githubProvider, jiraProvider, webhookProvider, webhookSignature } from '../../../../remediators/tickets/providers';
import { parseTicketRequest, ticketContent, type TicketRequest } from '../../../../remediators/tickets/ticket-request';
import { TicketStore } from '../../../../remediators/tickets/ticket-store';
import { captureLog } from '../../../support/capture-log';
import { CANARY, expectNoCanary } from '../../../support/fixtures';
import { loopbackServer, type Responder } from '../../../support/loopback';
import { workflowInput } from '../../../support/workflow-input';

const NOW = new Date('2026-11-20T10:00:00Z');
const NO_SLEEP = { sleep: () => Promise.resolve(), attempts: 4 };
const TASK_TOKEN = 'TICKET-TASK-TOKEN-CANARY';
let local: LocalDynamoDb;
let server: Awaited<ReturnType<typeof loopbackServer>>;
let tables = 0;

beforeAll(async () => {
  local = await startLocalDynamoDb();
  server = await loopbackServer();
});
afterAll(async () => {
  await Promise.all([local.stop(), server.close()]);
});
beforeEach(() => {
  server.received.length = 0;
});

/** The provider's API: its search for the finding's label finds nothing (unless `found`), its create answers `create`. */
function provider(create: Responder, found: unknown = undefined): void {
  server.setResponder((request) => {
    if (request.method === 'GET' && request.path.startsWith('/rest/api/3/search/jql'))
      return { body: { issues: found ? [found] : [], isLast: true } };
    if (request.method === 'GET' && request.path.startsWith('/repos/')) return { body: found ? [found] : [] };
    return create(request);
  });
}
const created = () => server.received.filter((request) => request.method === 'POST');

function ticketEvent(taskToken?: string): unknown {
  const input = workflowInput({ mode: 'ticket' }, 'lambda-function-env-secrets');
  const finding = {
    ...input.finding,
    resourceArn: 'arn:aws:lambda:us-east-1:111122223333:function:checkout',
    // A value that slipped into the finding by mistake is redacted before it reaches the ticket.
    reason: `function checkout has plaintext secrets in its environment: STRIPE_SECRET_KEY (${CANARY.stripe})`,
    evidence: { functionName: 'checkout', flagged: [{ name: 'STRIPE_SECRET_KEY', rule: 'format:stripe-key', fingerprint: 'a1b2' }] },
  };
  return {
    version: '0',
    id: 'evt-ticket',
    'detail-type': 'Warden Ticket Requested',
    source: 'warden',
    account: '444455556666',
    region: 'eu-west-1',
    time: NOW.toISOString(),
    resources: [],
    detail: {
      reason: 'mode ticket',
      executionArn: 'arn:aws:states:eu-west-1:444455556666:execution:warden-remediation:f1',
      finding,
      decision: input.decision,
      plan: {
        calls: [{ client: 'Lambda', operation: 'UpdateFunctionConfiguration', input: { FunctionName: 'checkout' } }],
        notes: ["The function's code must read each moved value"],
      },
      ...(taskToken ? { taskToken } : {}),
    },
  };
}

async function deps(provider: OpenTicketDeps['provider']) {
  tables += 1;
  await local.client.send(
    new CreateTableCommand({
      TableName: `hub-${tables}`,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'approvalId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'approvalId', AttributeType: 'S' }],
    }),
  );
  await createAuditTable(local.client, `audit-${tables}`);
  const delivered: unknown[] = [];
  const capture = captureLog();
  const audit = new AuditStore(local.document, `audit-${tables}`);
  const value: OpenTicketDeps = {
    provider,
    store: new TicketStore(local.document, `hub-${tables}`),
    audit,
    deliver: (delivery, result) => {
      delivered.push({ delivery, result });
      return Promise.resolve('delivered');
    },
    log: capture.log,
    metrics: capture.metrics,
    now: () => NOW,
  };
  return { deps: value, delivered, capture, audit };
}

const request = (taskToken?: string): TicketRequest => parseTicketRequest(ticketEvent(taskToken));

describe('Jira Cloud', () => {
  it('creates an issue with REST v3 and an ADF description, then hands the key to the waiting workflow', async () => {
    provider(() => ({ status: 201, body: { id: '10000', key: 'SEC-24', self: `${server.url}/rest/api/3/issue/10000` } }));
    const jira = jiraProvider(
      { baseUrl: server.url, project: 'SEC', issueType: 'Task', email: 'warden@example.com', apiToken: 'ATATT-CANARY-jira-token' },
      NO_SLEEP,
    );
    const { deps: d, delivered } = await deps(() => Promise.resolve(jira));
    await expect(openTicket(request(TASK_TOKEN), d)).resolves.toEqual({ ticketKey: 'SEC-24', url: `${server.url}/browse/SEC-24` });
    const [search, sent] = server.received;
    expect(new URL(search?.path ?? '', server.url).searchParams.get('jql')).toBe(
      'project = "SEC" AND labels = "warden-0123456789abcdef0123456789abcdef01234567" ORDER BY created ASC',
    );
    expect([sent?.method, sent?.path]).toEqual(['POST', '/rest/api/3/issue']);
    expect(sent?.headers['authorization']).toBe(`Basic ${Buffer.from('warden@example.com:ATATT-CANARY-jira-token').toString('base64')}`);
    const body = JSON.parse(sent?.body ?? '{}') as { fields: Record<string, unknown> };
    expect(body.fields).toMatchObject({
      project: { key: 'SEC' },
      issuetype: { name: 'Task' },
      summary: '[Warden] lambda-function-env-secrets: arn:aws:lambda:us-east-1:111122223333:function:checkout',
      labels: ['warden', 'lambda-function-env-secrets', 'warden-0123456789abcdef0123456789abcdef01234567'],
    });
    expect(body.fields['description']).toMatchObject({
      type: 'doc',
      version: 1,
      content: expect.arrayContaining([{ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'How to exempt' }] }]),
    });
    expect(sent?.body).toContain('Why it was not fixed automatically');
    expect(sent?.body).toContain('STRIPE_SECRET_KEY: format:stripe-key (fingerprint a1b2)');
    expectNoCanary(sent?.body);
    expect(sent?.body).not.toContain(TASK_TOKEN);
    expect(delivered).toEqual([
      {
        delivery: { account: '444455556666', region: 'eu-west-1', taskToken: TASK_TOKEN },
        result: { output: { ticketKey: 'SEC-24', url: `${server.url}/browse/SEC-24` } },
      },
    ]);
  });

  it('opens one ticket per finding: a repeated request reuses it', async () => {
    provider(() => ({ status: 201, body: { id: '1', key: 'SEC-25' } }));
    const jira = jiraProvider({ baseUrl: server.url, project: 'SEC', issueType: 'Task', email: 'e', apiToken: 't' }, NO_SLEEP);
    const { deps: d } = await deps(() => Promise.resolve(jira));
    await openTicket(request(), d);
    await expect(openTicket(request(), d)).resolves.toMatchObject({ ticketKey: 'SEC-25' });
    expect(created()).toHaveLength(1);
  });
});

describe('GitHub Issues', () => {
  it('creates an issue with the token, API version header, markdown body and labels', async () => {
    provider(() => ({ status: 201, body: { id: 1, number: 1347, html_url: 'https://github.com/acme/security/issues/1347', title: 't' } }));
    const github = githubProvider(
      { repository: 'acme/security', token: 'ghp_CANARYtoken', labels: ['warden', 'security'], apiUrl: server.url },
      NO_SLEEP,
    );
    const { deps: d } = await deps(() => Promise.resolve(github));
    await expect(openTicket(request(), d)).resolves.toEqual({ ticketKey: 'acme/security#1347', url: 'https://github.com/acme/security/issues/1347' });
    const [search, sent] = server.received;
    expect(search?.path).toBe(
      '/repos/acme/security/issues?labels=warden-0123456789abcdef0123456789abcdef01234567&state=all&per_page=10&direction=asc',
    );
    expect([sent?.method, sent?.path]).toEqual(['POST', '/repos/acme/security/issues']);
    expect(sent?.headers).toMatchObject({
      authorization: 'Bearer ghp_CANARYtoken',
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    });
    const body = JSON.parse(sent?.body ?? '{}') as { title: string; body: string; labels: string[] };
    expect(body.labels).toEqual(['warden', 'security', 'lambda-function-env-secrets', 'warden-0123456789abcdef0123456789abcdef01234567']);
    expect(body.body).toContain('### How to exempt');
    expectNoCanary(body);
  });
});

describe('signed webhook', () => {
  it('posts JSON with an HMAC-SHA256 signature the receiver can check', async () => {
    server.setResponder(() => ({ status: 200, body: { ticketKey: 'OPS-7' } }));
    const webhook = webhookProvider({ url: `${server.url}/warden`, signingSecret: 'webhook-secret' }, NO_SLEEP, () => NOW);
    const { deps: d } = await deps(() => Promise.resolve(webhook));
    await expect(openTicket(request(), d)).resolves.toEqual({ ticketKey: 'OPS-7' });
    const [sent] = server.received;
    expect(sent?.headers['idempotency-key']).toBe('warden-0123456789abcdef0123456789abcdef01234567');
    expect(sent?.headers['x-warden-signature']).toBe(webhookSignature('webhook-secret', String(NOW.getTime() / 1000), sent?.body ?? ''));
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({ source: 'warden', findingId: '0123456789abcdef0123456789abcdef01234567' });
  });
});

describe('retries and permanent failures', () => {
  it('retries 429 (honouring Retry-After) and 5xx, then succeeds', async () => {
    const answers = [
      { status: 429, headers: { 'retry-after': '0' }, body: {} },
      { status: 503, body: {} },
      { status: 201, body: { key: 'SEC-26' } },
    ];
    provider(() => answers.shift() ?? { status: 500 });
    const sleeps: number[] = [];
    const jira = jiraProvider(
      { baseUrl: server.url, project: 'SEC', issueType: 'Task', email: 'e', apiToken: 't' },
      {
        attempts: 4,
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
      },
    );
    const { deps: d } = await deps(() => Promise.resolve(jira));
    await expect(openTicket(request(), d)).resolves.toMatchObject({ ticketKey: 'SEC-26' });
    expect(created()).toHaveLength(3);
    expect(sleeps[0]).toBe(0);
  });

  it('records a permanent failure in the audit trail, counts it, tells the waiting workflow, and rethrows', async () => {
    provider(() => ({ status: 400, body: { errorMessages: ['project SEC does not exist'] } }));
    const jira = jiraProvider({ baseUrl: server.url, project: 'SEC', issueType: 'Task', email: 'e', apiToken: 't' }, NO_SLEEP);
    const { deps: d, delivered, capture, audit } = await deps(() => Promise.resolve(jira));
    await expect(openTicket(request(TASK_TOKEN), d)).rejects.toThrow(TicketProviderError);
    expect(created()).toHaveLength(1);
    expect(capture.counts['TicketFailed']).toBe(1);
    expect(
      (await audit.findingHistory('0123456789abcdef0123456789abcdef01234567')).map((record) => [record.state, record.details['status']]),
    ).toEqual([['TICKET_FAILED', 400]]);
    expect(delivered).toEqual([{ delivery: expect.any(Object), result: { error: 'Warden.TicketFailed', cause: expect.any(String) } }]);
    // The claim is released: a later request may try again.
    provider(() => ({ status: 201, body: { key: 'SEC-27' } }));
    await expect(openTicket(request(), d)).resolves.toMatchObject({ ticketKey: 'SEC-27' });
  });
});

describe('answers that must not leak, be followed or open a second ticket', () => {
  const jiraOf = () =>
    jiraProvider({ baseUrl: server.url, project: 'SEC', issueType: 'Task', email: 'e', apiToken: 'ATATT-CANARY-jira-token' }, NO_SLEEP);

  it('never follows a redirect: a 307 is a failure recorded as such, and the other origin receives nothing', async () => {
    const elsewhere = await loopbackServer();
    try {
      provider(() => ({ status: 307, headers: { location: `${elsewhere.url}/steal` }, body: {} }));
      const { deps: d, audit } = await deps(() => Promise.resolve(jiraOf()));
      await expect(openTicket(request(TASK_TOKEN), d)).rejects.toThrow('answered with a redirect, which Warden never follows');
      expect(elsewhere.received).toEqual([]);
      expect(created()).toHaveLength(1);
      const [failed] = await audit.findingHistory('0123456789abcdef0123456789abcdef01234567');
      expect(failed).toMatchObject({ state: 'TICKET_FAILED', details: { error: expect.stringContaining('redirect') } });
    } finally {
      await elsewhere.close();
    }
  });

  it('a 2xx that is not JSON is a failure, and not a byte of it reaches the audit trail', async () => {
    provider(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: `<html>session expired for ${CANARY.stripe}</html>` }));
    const { deps: d, audit } = await deps(() => Promise.resolve(jiraOf()));
    await expect(openTicket(request(), d)).rejects.toThrow('with a body that is not JSON');
    const history = await audit.findingHistory('0123456789abcdef0123456789abcdef01234567');
    expect(history.map((record) => record.state)).toEqual(['TICKET_FAILED']);
    expect(JSON.stringify(history)).not.toContain('html');
    expectNoCanary(history);
  });

  it('a create whose answer is unreadable is not sent again before a look finds the ticket it opened', async () => {
    // Jira creates the issue but the answer lacks the key; its search shows the issue on the next look.
    let createdKey: string | undefined;
    server.setResponder((request) => {
      if (request.method === 'GET') return { body: { issues: createdKey ? [{ id: '10001', key: createdKey }] : [], isLast: true } };
      createdKey = 'SEC-28';
      return { status: 201, body: { id: '10001' } };
    });
    const { deps: d } = await deps(() => Promise.resolve(jiraOf()));
    await expect(openTicket(request(), d)).resolves.toMatchObject({ ticketKey: 'SEC-28' });
    expect(created()).toHaveLength(1);
  });

  it('a create that got no answer at all is looked for before it is sent again', async () => {
    const answers = [
      { status: 502, body: {} },
      { status: 201, body: { key: 'SEC-29' } },
    ];
    provider(() => answers.shift() ?? { status: 500 });
    const { deps: d } = await deps(() => Promise.resolve(jiraOf()));
    await expect(openTicket(request(), d)).resolves.toMatchObject({ ticketKey: 'SEC-29' });
    expect(server.received.map((entry) => entry.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
  });

  it('GitHub: a labelled pull request is not the ticket', async () => {
    provider(() => ({ status: 201, body: { number: 1400, html_url: 'https://github.com/acme/security/issues/1400' } }), {
      number: 1399,
      pull_request: { url: 'x' },
    });
    const github = githubProvider({ repository: 'acme/security', token: 'ghp_x', labels: ['warden'], apiUrl: server.url }, NO_SLEEP);
    const { deps: d } = await deps(() => Promise.resolve(github));
    await expect(openTicket(request(), d)).resolves.toMatchObject({ ticketKey: 'acme/security#1400' });
  });
});

describe('a flapping ticket', () => {
  it('names who re-broke the resource each time, and what to change', () => {
    const input = workflowInput({
      mode: 'approval',
      decidedBy: 'flapping (2 re-breaks within 24h)',
      flapping: {
        rebreaks: [
          { at: '2026-11-20T05:00:00.000Z', by: 'arn:aws:sts::111122223333:assumed-role/deploy/pipeline' },
          { at: '2026-11-20T09:00:00.000Z', by: 'sweep' },
        ],
        maxRebreaks: 2,
        windowSeconds: 86400,
        ticket: true,
      },
    });
    const request: TicketRequest = {
      input: { ...input, plan: { calls: [], notes: [] } },
      reason: 'flapping: broken again after automatic fixes; see who re-broke it',
      account: '111122223333',
      region: 'us-east-1',
      executionArn: 'arn:aws:states:us-east-1:111122223333:execution:warden-remediation:f-4',
    };
    const section = ticketContent(request).sections.find((entry) => entry.heading === 'Who re-broke it');
    expect(section?.lines).toEqual([
      'Broken again 2 times within 24h after automatic fixes; Warden no longer fixes it automatically and asks for a decision instead.',
      '2026-11-20T05:00:00.000Z: arn:aws:sts::111122223333:assumed-role/deploy/pipeline',
      '2026-11-20T09:00:00.000Z: sweep',
      'Change whatever keeps reverting the fix (a deploy pipeline, a script, a template), or exempt the resource.',
    ]);
  });

  it("the owner's migration ticket names the owner, the exact change to make, the deadline and the copies the fix cannot reach", () => {
    const event = ticketEvent() as { detail: Record<string, unknown> };
    event.detail['decision'] = { ...(event.detail['decision'] as object), owner: 'payments-team' };
    event.detail['applied'] = {
      changed: true,
      staged: {
        startedAt: '2026-11-20T10:00:00.000Z',
        confirmWithinSeconds: 604800,
        watchSeconds: 3600,
        ownerSteps: ['Python (boto3), instead of os.environ["STRIPE_SECRET_KEY"]:'],
      },
      leftBehind: ['version 3 (alias live) holds STRIPE_SECRET_KEY (the same value) in plain text'],
    };
    const content = ticketContent(parseTicketRequest(event));
    const section = (heading: string) => content.sections.find((entry) => entry.heading === heading)?.lines;
    expect(section('Who must act')).toEqual([expect.stringMatching(/^Owner: payments-team/)]);
    expect(section('What the owner must change before the second phase')).toEqual([
      'Python (boto3), instead of os.environ["STRIPE_SECRET_KEY"]:',
      'Until then nothing the code reads is removed. Deadline: 2026-11-27T10:00:00.000Z.',
    ]);
    expect(section('Copies the fix cannot reach')).toEqual(['version 3 (alias live) holds STRIPE_SECRET_KEY (the same value) in plain text']);
    expectNoCanary(content);
  });

  it('the escalation ticket says why Warden stopped, with the error counts before and after, and how to undo', () => {
    const event = ticketEvent() as { detail: Record<string, unknown> };
    const window = (errors: number) => ({ from: '2026-11-20T09:00:00.000Z', to: '2026-11-20T10:00:00.000Z', invocations: 300, errors });
    event.detail['health'] = {
      healthy: false,
      reason: 'errors rose by 8.0%, more than the 1.0% the policy allows',
      before: window(1),
      after: window(25),
    };
    const lines = ticketContent(parseTicketRequest(event)).sections.find((entry) => entry.heading === 'Why Warden stopped')?.lines ?? [];
    expect(lines[0]).toBe('errors rose by 8.0%, more than the 1.0% the policy allows');
    expect(lines[2]).toMatch(/^After: 25 errors in 300 invocations/);
    expect(lines[3]).toMatch(/warden undo 0123456789abcdef0123456789abcdef01234567/);
  });
});
