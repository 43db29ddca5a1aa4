import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { WebClient } from '@slack/web-api';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../../cli/local-dynamodb';
import { ApprovalStore } from '../../../../remediators/slack/approval-store';
import { approverCheck } from '../../../../remediators/slack/approvers';
import { callbackDeliverer } from '../../../../core/callbacks/task-callback';
import { code, escapeMrkdwn } from '../../../../remediators/slack/mrkdwn';
import { requestApproval } from '../../../../remediators/slack/request-approval';
import { verifySlackSignature } from '../../../../remediators/slack/signature';
import { captureLog } from '../../../support/capture-log';
import { awsShape, expectNoCanary } from '../../../support/fixtures';
import { loopbackServer } from '../../../support/loopback';
import { workflowInput } from '../../../support/workflow-input';

const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAA-TASK-TOKEN-CANARY';
const NOW = new Date('2026-11-20T10:00:00Z');
const sts = mockClient(STSClient);
const sfn = mockClient(SFNClient);

let local: LocalDynamoDb;
let slackApi: Awaited<ReturnType<typeof loopbackServer>>;
let hooks: Awaited<ReturnType<typeof loopbackServer>>;
let tableCount = 0;

beforeAll(async () => {
  local = await startLocalDynamoDb();
  slackApi = await loopbackServer((request) =>
    request.path.includes('usergroups.users.list')
      ? { body: { ok: true, users: ['U0GROUPMEMBER1'] } }
      : { body: { ok: true, ts: '1763632800.000100', channel: 'C0123456789', message: { team: 'T01B5M3VC1X', ts: '1763632800.000100' } } },
  );
  hooks = await loopbackServer(() => ({ body: 'ok' }));
});
afterAll(async () => {
  await Promise.all([local.stop(), slackApi.close(), hooks.close()]);
});

async function newStore(): Promise<ApprovalStore> {
  tableCount += 1;
  const name = `approvals-${tableCount}`;
  await local.client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'approvalId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'approvalId', AttributeType: 'S' }],
    }),
  );
  return new ApprovalStore(local.document, name);
}

const SLACK = {
  channel: 'C0123456789',
  approvers: ['U0123ABCD9', 'S0APPROVERS'],
  botToken: 'secret:warden/slack-bot',
  signingSecret: 'secret:warden/slack-signing',
};

function approvalEvent(overrides: Record<string, unknown> = {}) {
  const input = workflowInput({ mode: 'approval', approvalTimeoutSeconds: 3600 }, 'lambda-function-env-secrets');
  const finding = {
    ...input.finding,
    resourceArn: 'arn:aws:lambda:us-east-1:111122223333:function:evil-<!channel>-*bold*',
    reason: 'function <@U999> has plaintext secrets: STRIPE_SECRET_KEY <https://evil.example|click>',
    evidence: { functionName: 'evil', flagged: [{ name: 'STRIPE_SECRET_KEY', rule: 'format:stripe-key', fingerprint: 'a1b2' }] },
  };
  return {
    version: '0',
    id: 'evt-approval-1',
    'detail-type': 'Warden Approval Requested',
    source: 'warden',
    account: '111122223333',
    region: 'us-east-1',
    time: NOW.toISOString(),
    resources: [],
    detail: {
      taskToken: TASK_TOKEN,
      executionArn: 'arn:aws:states:us-east-1:111122223333:execution:warden-remediation:f1',
      expiresInSeconds: 3600,
      finding,
      decision: input.decision,
      plan: { calls: [{ client: 'Lambda', operation: 'UpdateFunctionConfiguration', input: {} }], notes: ['code must read the secret'] },
      ...overrides,
    },
  };
}

async function postApproval(store: ApprovalStore) {
  const capture = captureLog();
  const slack = new WebClient('xoxb-CANARY-bot-token-000000000000', { slackApiUrl: `${slackApi.url}/api/`, retryConfig: { retries: 0 } });
  const before = slackApi.received.length;
  await requestApproval(approvalEvent(), {
    store,
    slack: () => Promise.resolve(slack),
    config: SLACK,
    log: capture.log,
    metrics: capture.metrics,
    now: () => NOW,
  });
  const posted = slackApi.received.slice(before).find((request) => request.path.includes('chat.postMessage'));
  const params = new URLSearchParams(posted?.body ?? '');
  const blocks = JSON.parse(params.get('blocks') ?? '[]') as { type: string; elements?: { value?: string }[] }[];
  const approvalId = blocks.find((block) => block.type === 'actions')?.elements?.[0]?.value ?? '';
  return { approvalId, posted, blocks, capture };
}

describe('Slack signature', () => {
  it("accepts Slack's documented signing example and rejects tampering, staleness and malformed headers", () => {
    const example = awsShape<{ raw_body: string; headers: Record<string, string> }>('slack_interactivity_http_request_signed_example.json');
    const ts = example.headers['X-Slack-Request-Timestamp'];
    const signature = example.headers['X-Slack-Signature'];
    expect(verifySlackSignature(example.raw_body, ts, signature, 'secret', Number(ts))).toBe('valid');
    expect(verifySlackSignature(`${example.raw_body}x`, ts, signature, 'secret', Number(ts))).toBe('mismatch');
    expect(verifySlackSignature(example.raw_body, ts, signature, 'secret', Number(ts) + 301)).toBe('stale');
    expect(verifySlackSignature(example.raw_body, ts, 'v1=abc', 'secret', Number(ts))).toBe('missing');
  });
});

describe('mrkdwn escaping', () => {
  it('keeps mentions, links and formatting in resource text as text', () => {
    expect(escapeMrkdwn('<!channel> <@U1> <https://x|y> & *b*')).toBe(
      '&lt;!channel&gt; &lt;@U1&gt; &lt;https://x|y&gt; &amp; \u200b*\u200bb\u200b*\u200b',
    );
    expect(code('a`b<c>')).toBe("`a'b&lt;c&gt;`");
  });
});

describe('Slack approval request', () => {
  it('stores the approval with its token and posts a Block Kit message that carries only the approval id', async () => {
    const store = await newStore();
    const { approvalId, posted, blocks, capture } = await postApproval(store);
    expect(approvalId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(posted?.headers['authorization']).toBe('Bearer xoxb-CANARY-bot-token-000000000000');
    expect(new URLSearchParams(posted?.body ?? '').get('channel')).toBe('C0123456789');
    const text = JSON.stringify(blocks);
    expect(text).toContain('Approve fix: lambda-function-env-secrets');
    expect(text).toContain('STRIPE_SECRET_KEY');
    expect(text).toContain('&lt;@U999&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('<!subteam^S0APPROVERS>');
    expect(text).not.toContain(TASK_TOKEN);
    expectNoCanary(text);
    expect(await store.get(approvalId)).toMatchObject({
      state: 'PENDING',
      taskToken: TASK_TOKEN,
      account: '111122223333',
      expiresAt: Math.floor(NOW.getTime() / 1000) + 3600,
    });
    expect(JSON.stringify(capture.lines)).not.toContain(TASK_TOKEN);
  });

  it('posts once when EventBridge delivers the same request twice', async () => {
    const store = await newStore();
    const slack = new WebClient('xoxb-x', { slackApiUrl: `${slackApi.url}/api/`, retryConfig: { retries: 0 } });
    const capture = captureLog();
    const deps = { store, slack: () => Promise.resolve(slack), config: SLACK, log: capture.log, metrics: capture.metrics, now: () => NOW };
    await expect(requestApproval(approvalEvent(), deps)).resolves.toBe('posted');
    await expect(requestApproval(approvalEvent(), deps)).resolves.toBe('duplicate');
  });

  it('a retry after the first attempt died before posting posts the same approval, and binds it', async () => {
    const store = await newStore();
    const capture = captureLog();
    const failing = { chat: { postMessage: () => Promise.reject(new Error('socket hang up')) }, auth: { test: () => Promise.resolve({}) } };
    await expect(
      requestApproval(approvalEvent(), {
        store,
        slack: () => Promise.resolve(failing),
        config: SLACK,
        log: capture.log,
        metrics: capture.metrics,
        now: () => NOW,
      }),
    ).rejects.toThrow('socket hang up');
    const before = slackApi.received.length;
    const slack = new WebClient('xoxb-x', { slackApiUrl: `${slackApi.url}/api/`, retryConfig: { retries: 0 } });
    await expect(
      requestApproval(approvalEvent(), {
        store,
        slack: () => Promise.resolve(slack),
        config: SLACK,
        log: capture.log,
        metrics: capture.metrics,
        now: () => NOW,
      }),
    ).resolves.toBe('posted');
    const posted = slackApi.received.slice(before).filter((request) => request.path.includes('chat.postMessage'));
    expect(posted).toHaveLength(1);
    const approvalId =
      (JSON.parse(new URLSearchParams(posted[0]?.body ?? '').get('blocks') ?? '[]') as { type: string; elements?: { value?: string }[] }[]).find(
        (block) => block.type === 'actions',
      )?.elements?.[0]?.value ?? '';
    expect(await store.get(approvalId)).toMatchObject({ state: 'PENDING', slackChannel: 'C0123456789', slackTs: '1763632800.000100' });
  });
});

describe("Slack confirmation request (a staged fix's owner)", () => {
  const applied = {
    changed: true,
    staged: {
      startedAt: NOW.toISOString(),
      confirmWithinSeconds: 604800,
      watchSeconds: 3600,
      ownerSteps: ['Node.js (AWS SDK v3), instead of process.env.STRIPE_SECRET_KEY:\n  read <the ARN in STRIPE_SECRET_KEY_SECRET_ARN>'],
    },
    leftBehind: ['version 3 (alias live) holds STRIPE_SECRET_KEY (the same value) in plain text'],
  };

  it("is posted beside the same execution's approval, names and mentions the owner, and carries the change to make", async () => {
    const store = await newStore();
    const slack = new WebClient('xoxb-x', { slackApiUrl: `${slackApi.url}/api/`, retryConfig: { retries: 0 } });
    const capture = captureLog();
    const deps = { store, slack: () => Promise.resolve(slack), config: SLACK, log: capture.log, metrics: capture.metrics, now: () => NOW };
    await expect(requestApproval(approvalEvent(), deps)).resolves.toBe('posted');
    const base = approvalEvent().detail;
    const confirm = approvalEvent({ purpose: 'confirm', applied, expiresInSeconds: 604800, decision: { ...base.decision, owner: 'U0OWNER42' } });
    const before = slackApi.received.length;
    await expect(requestApproval(confirm, deps)).resolves.toBe('posted');
    await expect(requestApproval(confirm, deps)).resolves.toBe('duplicate');
    const posted = slackApi.received.slice(before).filter((request) => request.path.includes('chat.postMessage'));
    expect(posted).toHaveLength(1);
    const blocks = JSON.parse(new URLSearchParams(posted[0]?.body ?? '').get('blocks') ?? '[]') as {
      type: string;
      elements?: { value?: string }[];
    }[];
    const text = JSON.stringify(blocks);
    expect(text).toContain('Owner action needed: lambda-function-env-secrets');
    expect(text).toContain('<@U0OWNER42>');
    expect(text).toContain('process.env.STRIPE_SECRET_KEY');
    expect(text).toContain('&lt;the ARN in STRIPE_SECRET_KEY_SECRET_ARN&gt;');
    expect(text).toContain('version 3 (alias live)');
    expect(text).toContain('Confirm: my code reads the secret');
    const approvalId = blocks.find((block) => block.type === 'actions')?.elements?.[0]?.value ?? '';
    expect(await store.get(approvalId)).toMatchObject({
      purpose: 'confirm',
      owner: 'U0OWNER42',
      expiresAt: Math.floor(NOW.getTime() / 1000) + 604800,
    });
    expect(capture.counts).toMatchObject({ ConfirmationRequested: 1 });
  });
});

// The endpoint itself, hostile requests and lifecycle: test/unit/functions/slack-interactions.test.ts.
describe('approvers', () => {
  it('accepts listed users and members of listed groups, and re-reads group membership after 60 s', async () => {
    let members = ['U0GROUPMEMBER1'];
    let clock = 0;
    let reads = 0;
    const isApprover = approverCheck(
      ['U0123ABCD9', 'S0APPROVERS'],
      () => {
        reads += 1;
        return Promise.resolve(members);
      },
      undefined,
      () => clock,
    );
    expect(await isApprover('U0123ABCD9')).toBe(true);
    expect(await isApprover('U0GROUPMEMBER1')).toBe(true);
    expect(await isApprover('U0STRANGER1')).toBe(false);
    members = [];
    clock = 59_000;
    expect(await isApprover('U0GROUPMEMBER1')).toBe(true);
    clock = 60_001;
    expect(await isApprover('U0GROUPMEMBER1')).toBe(false);
    expect(reads).toBe(2);
  });
});

describe('callbackDeliverer', () => {
  beforeEach(() => {
    sts.reset();
    sfn.reset();
    sts
      .on(AssumeRoleCommand)
      .resolves({ Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'x', SessionToken: 'y', Expiration: new Date() } });
  });

  it('assumes the member delivery role and sends the task result', async () => {
    const deliver = callbackDeliverer(new STSClient({ region: 'us-east-1' }), 'warden-approval');
    await expect(
      deliver({ account: '444455556666', region: 'eu-west-1', taskToken: TASK_TOKEN }, { output: { actor: 'slack:U1', decision: 'APPROVED' } }),
    ).resolves.toBe('delivered');
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::444455556666:role/warden-approval-delivery-eu-west-1',
      RoleSessionName: 'warden-approval',
    });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: TASK_TOKEN,
      output: JSON.stringify({ actor: 'slack:U1', decision: 'APPROVED' }),
    });
    await deliver({ account: '444455556666', region: 'eu-west-1', taskToken: TASK_TOKEN }, { error: 'Warden.Rejected', cause: 'no' });
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: TASK_TOKEN, error: 'Warden.Rejected', cause: 'no' });
  });

  it('reports a workflow that stopped waiting as gone', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    const deliver = callbackDeliverer(new STSClient({ region: 'us-east-1' }), 'warden-approval');
    await expect(deliver({ account: '444455556666', region: 'eu-west-1', taskToken: TASK_TOKEN }, { output: {} })).resolves.toBe('gone');
  });
});

describe('approvals nearing expiry', () => {
  it('finds pending approvals that expire within the window, not decided or later ones', async () => {
    const store = await newStore();
    const base = {
      taskToken: 't',
      account: '111122223333',
      region: 'us-east-1',
      findingId: 'f',
      check: 'c',
      resourceArn: 'arn',
      state: 'PENDING' as const,
    };
    const nowSeconds = Math.floor(NOW.getTime() / 1000);
    await store.create({ ...base, approvalId: 'a'.repeat(43), executionArn: 'e1', expiresAt: nowSeconds + 1800 });
    await store.create({ ...base, approvalId: 'b'.repeat(43), executionArn: 'e2', expiresAt: nowSeconds + 7200 });
    await store.create({ ...base, approvalId: 'c'.repeat(43), executionArn: 'e3', expiresAt: nowSeconds + 600, state: 'APPROVED' });
    expect((await store.needingAttention(3600, NOW)).nearingExpiry.map((approval) => approval.approvalId)).toEqual(['a'.repeat(43)]);
  });
});
