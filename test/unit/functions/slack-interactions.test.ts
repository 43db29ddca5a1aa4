import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createAuditTable, type LocalDynamoDb, startLocalDynamoDb } from '../../../cli/local-dynamodb';
import { AuditStore } from '../../../core/audit/audit-store';
import { type Approval, ApprovalStore, LEASE_MS } from '../../../remediators/slack/approval-store';
import { newApprovalId } from '../../../remediators/slack/request-approval';
import { signSlackRequest } from '../../support/slack-signature';
import type { Context } from 'aws-lambda';
import { awsShape } from '../../support/fixtures';
import { lambdaContext } from '../../support/lambda-context';
import { loopbackServer, type Received, type Responder } from '../../support/loopback';

/*
 * The hostile-request suite, through the real entry point (functions/slack-interactions.ts: an API
 * Gateway proxy event in, a response out), with the real approval and audit stores on dynalite. Only
 * the boundaries are stubbed: AWS (Secrets Manager, STS, Step Functions) by a loopback server speaking
 * their wire protocols, Slack's response URLs by the fetch they go through. Every request is correctly
 * signed unless the case is about the signature.
 */

const SIGNING_SECRET = 'CANARY-slack-signing-secret-0123456789';
const BOT_TOKEN = 'xoxb-CANARY-bot-token-000000000000';
const TEAM = 'T01B5M3VC1X';
const CHANNEL = 'C0123456789';
const POSTED_TS = '1600857119.015400';
const APPROVER = 'U0123ABCD9';
const SECOND_APPROVER = 'U0SECONDAPP';
const RESPONSE_URL = 'https://hooks.slack.com/actions/T01B5M3VC1X/1394543744577/NIyyQSrf1FF0R7K';

/** A Lambda entry point, loaded after the environment is set, as Lambda's init does. */
function loadEntryPoint<T extends object>(name: string): T {
  return jest.requireActual<T>(`../../../functions/${name}`);
}

type Entry = { handler: (event: unknown, context: Context) => Promise<never> };
/** The entry's handler, invoked as Lambda does: with the event and a context. */
const invoked = (entry: Entry, functionName: string) => (event: unknown) => entry.handler(event, lambdaContext(functionName));

type TaskAnswer = 'ok' | 'gone' | 'drop' | 'refuse';
let dynamo: LocalDynamoDb;
let aws: Awaited<ReturnType<typeof loopbackServer>>;
let taskAnswers: TaskAnswer[] = [];
let secrets: Record<string, string>;
const responses: { url: string; body: Record<string, unknown> }[] = [];
let handler: (event: unknown) => Promise<{ statusCode: number; body: string }>;
let sweep: (event?: unknown) => Promise<unknown>;
let approvals: ApprovalStore;
let audit: AuditStore;

const taskResults = () => aws.received.filter((request) => String(request.headers['x-amz-target'] ?? '').startsWith('AWSStepFunctions.SendTask'));

/** Secrets Manager, STS and Step Functions as they answer on the wire. */
function answerAws(request: Received): ReturnType<Responder> {
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target === 'secretsmanager.GetSecretValue') {
    const id = (JSON.parse(request.body) as { SecretId: string }).SecretId;
    if (!(id in secrets))
      return {
        status: 400,
        headers: { 'x-amzn-errortype': 'ResourceNotFoundException' },
        body: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." },
      };
    return {
      body: {
        ARN: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${id}-AbCdEf`,
        Name: id,
        SecretString: secrets[id],
        VersionId: 'v1',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1763632800,
      },
    };
  }
  if (request.body.startsWith('Action=AssumeRole')) {
    return {
      headers: { 'content-type': 'text/xml' },
      body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAEXAMPLEDELIVERY</AccessKeyId><SecretAccessKey>x</SecretAccessKey><SessionToken>y</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:warden</AssumedRoleId><Arn>arn:aws:sts::444455556666:assumed-role/warden-approval-delivery-eu-west-1/warden</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    };
  }
  if (target.startsWith('AWSStepFunctions.SendTask')) {
    const answer = taskAnswers.shift() ?? 'ok';
    if (answer === 'gone')
      return {
        status: 400,
        headers: { 'x-amzn-errortype': 'TaskTimedOut' },
        body: { __type: 'com.amazonaws.swf.service.v2.model#TaskTimedOut', message: 'Task Timed Out' },
      };
    if (answer === 'refuse')
      return { status: 400, headers: { 'x-amzn-errortype': 'InvalidOutput' }, body: { __type: 'InvalidOutput', message: 'invalid output' } };
    // 'drop': Step Functions took the result, but the answer is lost (a 5xx after the fact).
    if (answer === 'drop')
      return { status: 500, headers: { 'x-amzn-errortype': 'InternalFailure' }, body: { __type: 'InternalFailure', message: 'lost' } };
    return { body: {} };
  }
  return { status: 400, body: { __type: 'UnknownOperationException', message: target } };
}

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  aws = await loopbackServer(answerAws);
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: 'approvals',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'approvalId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'approvalId', AttributeType: 'S' }],
    }),
  );
  await createAuditTable(dynamo.client, 'audit');
  approvals = new ApprovalStore(dynamo.document, 'approvals');
  audit = new AuditStore(dynamo.document, 'audit');
  secrets = { 'warden/slack-signing': SIGNING_SECRET, 'warden/slack-bot': BOT_TOKEN };
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: aws.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_MAX_ATTEMPTS: '1',
    WARDEN_APPROVALS_TABLE: 'approvals',
    WARDEN_AUDIT_TABLE: 'audit',
    POWERTOOLS_DEV: 'false',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    WARDEN_POLICY_JSON: JSON.stringify({
      version: 1,
      approvals: {
        slack: {
          channel: CHANNEL,
          approvers: [APPROVER, SECOND_APPROVER],
          botToken: 'secret:warden/slack-bot',
          signingSecret: 'secret:warden/slack-signing',
        },
      },
    }),
  });
  // Slack's response URLs: the one boundary the handler reaches through fetch.
  jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    responses.push({
      url: input instanceof Request ? input.url : input.toString(),
      body: JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Record<string, unknown>,
    });
    return Promise.resolve(new Response('ok'));
  });
  handler = invoked(loadEntryPoint<Entry>('slack-interactions'), 'warden-slack-interactions');
  sweep = invoked(loadEntryPoint<Entry>('approval-expiry-monitor'), 'warden-approval-sweep');
});

afterAll(async () => {
  jest.restoreAllMocks();
  await Promise.all([dynamo.stop(), aws.close()]);
});

let approval: Approval;
let findingCount = 0;

/** A PENDING approval, posted to TEAM/CHANNEL, as the notifier leaves it. */
async function pendingApproval(overrides: Partial<Approval> = {}): Promise<Approval> {
  findingCount += 1;
  const value: Approval = {
    approvalId: newApprovalId(),
    taskToken: `AQCEAAAAKgAAAAMAAAAA-TOKEN-${findingCount}`,
    account: '444455556666',
    region: 'eu-west-1',
    executionArn: `arn:aws:states:eu-west-1:444455556666:execution:warden-remediation:f${findingCount}`,
    findingId: String(findingCount).padStart(40, 'f'),
    check: 'apigateway-stage-waf',
    resourceArn: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod',
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    state: 'PENDING',
    ...overrides,
  };
  await approvals.create(value);
  await approvals.bind(value.approvalId, { team: TEAM, channel: CHANNEL, ts: POSTED_TS });
  return value;
}

/** A button click as Slack sends it (the recorded payload's shape), for the current approval. */
function payload(overrides: Record<string, unknown> = {}) {
  const recorded = awsShape<Record<string, unknown>>('slack_block_actions_payload_button_click.json');
  return {
    ...recorded,
    user: { id: APPROVER, username: 'alice', team_id: TEAM },
    team: { id: TEAM, domain: 'acme' },
    channel: { id: CHANNEL, name: 'security-approvals' },
    container: { type: 'message', message_ts: POSTED_TS, channel_id: CHANNEL, is_ephemeral: false },
    actions: [
      { action_id: 'warden_approve', block_id: 'warden_decision', value: approval.approvalId, type: 'button', action_ts: '1600857125.000000' },
    ],
    response_url: RESPONSE_URL,
    ...overrides,
  };
}
const form = (value: unknown) => `payload=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`;

/** An API Gateway (REST, Lambda proxy) event for `rawBody`, signed unless told otherwise. */
function proxyEvent(
  rawBody: string,
  options: { method?: string; timestamp?: number; secret?: string; signature?: string | null; base64?: boolean } = {},
) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature === undefined ? signSlackRequest(rawBody, timestamp, options.secret ?? SIGNING_SECRET) : options.signature;
  return {
    resource: '/slack/interactions',
    path: '/slack/interactions',
    httpMethod: options.method ?? 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      ...(signature === null ? {} : { 'X-Slack-Signature': signature }),
    },
    isBase64Encoded: options.base64 ?? false,
    body: options.base64 ? Buffer.from(rawBody).toString('base64') : rawBody,
    requestContext: { stage: 'prod', httpMethod: options.method ?? 'POST' },
  };
}

const hubRecords = async (findingId = approval.findingId) =>
  (await audit.findingHistory(findingId)).map((entry) => ({ state: entry.state, actor: entry.actor, reason: entry.details['reason'] }));

beforeEach(async () => {
  taskAnswers = [];
  aws.received.length = 0;
  responses.length = 0;
  approval = await pendingApproval();
});

describe('hostile requests: refused, nothing delivered, the audit trail says so', () => {
  const now = () => Math.floor(Date.now() / 1000);
  // [case, event, status, what the audit trail holds for the approval afterwards]
  const cases: [string, () => unknown, number, { state: string; reason?: string }[]][] = [
    ['GET', () => proxyEvent(form(payload()), { method: 'GET' }), 405, []],
    ['PUT', () => proxyEvent(form(payload()), { method: 'PUT' }), 405, []],
    ['no signature', () => proxyEvent(form(payload()), { signature: null }), 401, []],
    ['signed with another secret', () => proxyEvent(form(payload()), { secret: 'not-the-secret' }), 401, []],
    ['body changed after signing', () => ({ ...proxyEvent(form(payload())), body: form(payload({ user: { id: 'U0ATTACKER1' } })) }), 401, []],
    ['timestamp 6 minutes old', () => proxyEvent(form(payload()), { timestamp: now() - 360 }), 401, []],
    ['timestamp 6 minutes ahead', () => proxyEvent(form(payload()), { timestamp: now() + 360 }), 401, []],
    ['a v1 signature', () => proxyEvent(form(payload()), { signature: `v1=${'0'.repeat(64)}` }), 401, []],
    ['body over 32 KB', () => proxyEvent(`${form(payload())}&pad=${'x'.repeat(40_000)}`), 413, []],
    ['no payload field', () => proxyEvent('foo=bar'), 400, []],
    [
      'the payload field repeated',
      () => proxyEvent(`${form(payload())}&${form(payload({ actions: [{ action_id: 'warden_reject', value: approval.approvalId }] }))}`),
      400,
      [],
    ],
    ['another field next to payload', () => proxyEvent(`${form(payload())}&user=U0ATTACKER1`), 400, []],
    ['payload not JSON', () => proxyEvent(form('{"type": "block_actions",')), 400, []],
    ['payload a JSON array', () => proxyEvent(form([payload()])), 400, []],
    ['view_submission, not block_actions', () => proxyEvent(form(payload({ type: 'view_submission' }))), 400, []],
    ['interactive_message (legacy)', () => proxyEvent(form(payload({ type: 'interactive_message' }))), 400, []],
    [
      'approve and reject together',
      () =>
        proxyEvent(
          form(
            payload({
              actions: [
                { action_id: 'warden_approve', value: approval.approvalId },
                { action_id: 'warden_reject', value: approval.approvalId },
              ],
            }),
          ),
        ),
      400,
      [],
    ],
    [
      'two approvals in one payload',
      () =>
        proxyEvent(
          form(
            payload({
              actions: [
                { action_id: 'warden_approve', value: approval.approvalId },
                { action_id: 'warden_approve', value: approval.approvalId },
              ],
            }),
          ),
        ),
      400,
      [],
    ],
    ['no action', () => proxyEvent(form(payload({ actions: [] }))), 400, []],
    ['an unknown action id', () => proxyEvent(form(payload({ actions: [{ action_id: 'delete_everything', value: approval.approvalId }] }))), 400, []],
    [
      'an approval id of the wrong shape',
      () => proxyEvent(form(payload({ actions: [{ action_id: 'warden_approve', value: '../../etc' }] }))),
      400,
      [],
    ],
    ['no user', () => proxyEvent(form(payload({ user: undefined }))), 400, []],
    ['no team', () => proxyEvent(form(payload({ team: undefined }))), 400, []],
    ['a response_url elsewhere', () => proxyEvent(form(payload({ response_url: 'https://evil.example/hook' }))), 400, []],
    ['an unknown approval id', () => proxyEvent(form(payload({ actions: [{ action_id: 'warden_approve', value: 'A'.repeat(43) }] }))), 403, []],
    [
      'a click from another workspace',
      () => proxyEvent(form(payload({ team: { id: 'T0OTHERTEAM', domain: 'evil' } }))),
      403,
      [{ state: 'APPROVAL_CLICK_REFUSED', reason: 'foreign-channel' }],
    ],
    [
      'a click from another channel',
      () =>
        proxyEvent(
          form(payload({ channel: { id: 'C0OTHERCHAN', name: 'random' }, container: { message_ts: POSTED_TS, channel_id: 'C0OTHERCHAN' } })),
        ),
      403,
      [{ state: 'APPROVAL_CLICK_REFUSED', reason: 'foreign-channel' }],
    ],
    [
      'a click on another message in the same channel',
      () => proxyEvent(form(payload({ container: { type: 'message', message_ts: '1600857999.000100', channel_id: CHANNEL } }))),
      403,
      [{ state: 'APPROVAL_CLICK_REFUSED', reason: 'foreign-channel' }],
    ],
    ['no message ts', () => proxyEvent(form(payload({ container: { type: 'message', channel_id: CHANNEL } }))), 400, []],
    [
      'a user who is not an approver',
      () => proxyEvent(form(payload({ user: { id: 'U0NOTALLOWED' } }))),
      200,
      [{ state: 'APPROVAL_CLICK_REFUSED', reason: 'unauthorized-user' }],
    ],
  ];

  it.each(cases)('refuses %s', async (_name, event, status, records) => {
    const response = await handler(event());
    expect(response.statusCode).toBe(status);
    expect(taskResults()).toEqual([]);
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'PENDING' });
    expect((await hubRecords()).map(({ state, reason }) => ({ state, ...(reason ? { reason } : {}) }))).toEqual(records);
  });

  it('tells an unauthenticated caller nothing about which check failed', async () => {
    const bodies = await Promise.all(
      [
        proxyEvent(form(payload()), { signature: null }),
        proxyEvent(form(payload()), { secret: 'x' }),
        proxyEvent(form(payload()), { timestamp: now() - 3600 }),
      ].map((event) => handler(event)),
    );
    expect(new Set(bodies.map((response) => `${response.statusCode} ${response.body}`))).toEqual(new Set(['401 refused']));
  });

  it('refuses a click on an approval never bound to a channel (the notifier died before binding)', async () => {
    approval = { ...approval, approvalId: newApprovalId(), executionArn: `${approval.executionArn}-unbound` };
    await approvals.create(approval);
    expect((await handler(proxyEvent(form(payload())))).statusCode).toBe(403);
    expect(taskResults()).toEqual([]);
  });

  it('an expired approval says what really happened: nothing changed, no ticket claimed', async () => {
    approval = await pendingApproval({ expiresAt: Math.floor(Date.now() / 1000) - 1 });
    expect((await handler(proxyEvent(form(payload())))).statusCode).toBe(200);
    expect(taskResults()).toEqual([]);
    const told = String(responses.at(-1)?.body['text']);
    expect(told).toContain('expired');
    expect(told).not.toMatch(/ticket was opened|opened a ticket/);
    expect(await hubRecords()).toEqual([{ state: 'APPROVAL_CLICK_REFUSED', actor: `slack:${APPROVER}`, reason: 'expired' }]);
  });
});

describe('valid clicks are delivered exactly once', () => {
  it('under a double click and a Slack retry of the same request', async () => {
    const click = proxyEvent(form(payload()));
    const answers = await Promise.all([handler(click), handler(proxyEvent(form(payload({ user: { id: SECOND_APPROVER } }))))]);
    const retry = await handler(click);
    expect([...answers, retry].map((response) => response.statusCode)).toEqual([200, 200, 200]);
    expect(taskResults()).toHaveLength(1);
    const decided = await approvals.get(approval.approvalId);
    expect(decided).toMatchObject({ state: 'APPROVED' });
    expect((await hubRecords()).filter((entry) => entry.state === 'APPROVAL_DELIVERED')).toHaveLength(1);
    expect(responses.some((response) => String(response.body['text']).includes('already decided'))).toBe(true);
    expect(JSON.stringify(responses)).not.toContain(approval.taskToken);
  });

  it("a staged fix's owner may confirm it, though not an approver; on any other request the owner is refused", async () => {
    approval = await pendingApproval({ purpose: 'confirm', owner: 'U0OWNER42' });
    expect((await handler(proxyEvent(form(payload({ user: { id: 'U0OWNER42' } }))))).statusCode).toBe(200);
    expect(taskResults()).toHaveLength(1);
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'APPROVED', decidedBy: 'slack:U0OWNER42' });
    approval = await pendingApproval({ owner: 'U0OWNER42' });
    await handler(proxyEvent(form(payload({ user: { id: 'U0OWNER42' } }))));
    expect(taskResults()).toHaveLength(1);
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'PENDING' });
  });

  it('from an org-wide Enterprise Grid install (team: null), bound by the channel and the message', async () => {
    expect((await handler(proxyEvent(form(payload({ team: null, enterprise: { id: 'E0ORG000001', name: 'acme' } }))))).statusCode).toBe(200);
    expect(taskResults()).toHaveLength(1);
  });

  it('a base64-encoded body (binary media types on the API) is verified on its decoded bytes', async () => {
    expect((await handler(proxyEvent(form(payload()), { base64: true }))).statusCode).toBe(200);
    expect(taskResults()).toHaveLength(1);
  });

  it('after a crash between claim and delivery, the next click delivers the first decision, once', async () => {
    // A function claimed a rejection two leases ago, then died before it sent anything.
    const crashedAt = new Date(Date.now() - 2 * LEASE_MS);
    await approvals.claim(approval.approvalId, 'REJECTED', `slack:${SECOND_APPROVER}`, { team: TEAM, channel: CHANNEL, ts: POSTED_TS }, crashedAt);
    expect((await handler(proxyEvent(form(payload())))).statusCode).toBe(200);
    const sent = taskResults();
    expect(sent).toHaveLength(1);
    expect(String(sent[0]?.headers['x-amz-target'])).toBe('AWSStepFunctions.SendTaskFailure');
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'REJECTED', decidedBy: `slack:${SECOND_APPROVER}` });
    expect(responses.some((response) => String(response.body['text']).includes(`earlier decision by <@${SECOND_APPROVER}>`))).toBe(true);
    expect((await handler(proxyEvent(form(payload())))).statusCode).toBe(200);
    expect(taskResults()).toHaveLength(1);
  });

  it('after a crash, the scheduled sweep completes the stale lease and records it', async () => {
    await approvals.claim(
      approval.approvalId,
      'APPROVED',
      `slack:${APPROVER}`,
      { team: TEAM, channel: CHANNEL, ts: POSTED_TS },
      new Date(Date.now() - 2 * LEASE_MS),
    );
    const result = await sweep();
    expect(result).toMatchObject({ recovered: { delivered: 1 } });
    expect(taskResults()).toHaveLength(1);
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'APPROVED' });
    expect(await hubRecords()).toEqual([expect.objectContaining({ state: 'APPROVAL_DELIVERED', actor: `slack:${APPROVER}` })]);
    expect((await audit.findingHistory(approval.findingId))[0]?.details).toMatchObject({ completedBy: 'warden:approval-sweep' });
  });

  it('a result Step Functions may have taken is never reported as EXPIRED by a later click', async () => {
    taskAnswers = ['drop', 'gone'];
    expect((await handler(proxyEvent(form(payload())))).statusCode).toBe(500);
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'DELIVERING', uncertain: true });
    // The second click resends the same decision; "gone" now means it may have arrived the first time.
    expect(await handler(proxyEvent(form(payload({ user: { id: SECOND_APPROVER } }))))).toMatchObject({ statusCode: 200 });
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'UNCONFIRMED', decidedBy: `slack:${APPROVER}` });
    const told = String(responses.at(-1)?.body['text']);
    expect(told).toContain('could not confirm');
    expect(told).not.toContain('expired');
    expect((await hubRecords()).map((entry) => entry.state)).toEqual(['APPROVAL_DELIVERY_FAILED', 'APPROVAL_UNCONFIRMED']);
  });

  it('a refusal Step Functions answered puts the approval back for a new decision', async () => {
    taskAnswers = ['refuse'];
    expect((await handler(proxyEvent(form(payload())))).statusCode).toBe(500);
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'PENDING' });
    expect((await handler(proxyEvent(form(payload({ actions: [{ action_id: 'warden_reject', value: approval.approvalId }] }))))).statusCode).toBe(
      200,
    );
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'REJECTED' });
  });

  it('a workflow that stopped waiting, with no earlier attempt, is EXPIRED', async () => {
    taskAnswers = ['gone'];
    expect((await handler(proxyEvent(form(payload())))).statusCode).toBe(200);
    expect(await approvals.get(approval.approvalId)).toMatchObject({ state: 'EXPIRED' });
    expect((await hubRecords()).map((entry) => entry.state)).toEqual(['APPROVAL_GONE']);
  });
});

describe('secrets at start', () => {
  it.each([[''], ['   \n']])('a blank signing secret (%j) is a configuration error, never a key that verifies', async (blank) => {
    const saved = secrets['warden/slack-signing']!;
    secrets['warden/slack-signing'] = blank;
    try {
      jest.resetModules();
      const fresh = invoked(loadEntryPoint<Entry>('slack-interactions'), 'warden-slack-interactions');
      const signedWithBlank = proxyEvent(form(payload()), { secret: blank });
      await expect(fresh(signedWithBlank)).rejects.toThrow('secret warden/slack-signing is empty');
      expect(taskResults()).toEqual([]);
    } finally {
      secrets['warden/slack-signing'] = saved;
    }
  });

  it('no secret value reaches a log line, the audit trail or Slack', async () => {
    const lines: string[] = [];
    const keep = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(keep), jest.spyOn(process.stderr, 'write').mockImplementation(keep)];
    process.env['POWERTOOLS_LOG_LEVEL'] = 'INFO';
    try {
      jest.resetModules();
      const logging = invoked(loadEntryPoint<Entry>('slack-interactions'), 'warden-slack-interactions');
      await logging(proxyEvent(form(payload({ user: { id: 'U0NOTALLOWED' } }))));
      await logging(proxyEvent(form(payload()), { secret: 'wrong' }));
      await logging(proxyEvent(form(payload())));
    } finally {
      process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
      for (const spy of spies) spy.mockRestore();
    }
    expect(lines.join('')).toContain('slack interaction refused');
    expect(lines.join('')).toContain('approval decided');
    const everything = JSON.stringify([lines, responses, await audit.findingHistory(approval.findingId)]);
    for (const secret of [SIGNING_SECRET, BOT_TOKEN, approval.taskToken]) expect(everything).not.toContain(secret);
  });
});
