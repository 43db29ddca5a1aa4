import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DocumentClient } from '../../core/aws/document-client';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOTO_ACCOUNT, type Moto, startMoto, useEmulatorEnvironment } from '../../examples/emulator/moto';
import { ApprovalStore, LEASE_MS } from '../../remediators/slack/approval-store';
import { newApprovalId } from '../../remediators/slack/request-approval';
import { signSlackRequest } from '../support/slack-signature';
import { APPROVAL_DETAIL_TYPE, AUDIT_DETAIL_TYPE, TICKET_DETAIL_TYPE } from '../../core/events/bus-contract';
import { resourcesOfType, type SynthesizedFunction, synthesizedFunctions, synthesizedTemplates } from '../support/cloud-assembly';
import { describeWithEmulator } from '../support/describe-with-emulator';
import { inventoryOf, templated } from '../support/iam-requests';
import { loopbackServer, type Received } from '../support/loopback';
import { startRecordingProxy } from '../support/recording-proxy';
import { type BundleOutcome, runBundle } from '../support/run-bundle';
import { workflowInput } from '../support/workflow-input';

/*
 * The hub's functions as they deploy: each bundle `cdk synth` built runs in its own Node process against
 * moto, behind a proxy that records every AWS call it makes (the hub's own SDK call log), with Slack and
 * Jira answered by a loopback fake. The tables are created as the hub template defines them. The IAM
 * layer simulates the recorded requests on the hub's synthesized roles (observed-hub-requests.json).
 */

const HUB_FILE = 'Warden-Hub.template.json';
const HUB_REGION = 'us-east-1';
const MEMBER = { account: '444455556666', region: 'eu-west-1' };
const OBSERVED_REQUESTS = join(__dirname, '..', 'fixtures', 'iam', 'observed-hub-requests.json');
const CANARY = {
  botToken: 'xoxb-CANARY-hub-bot-token-0000',
  signingSecret: 'CANARY-hub-signing-secret-0123456789',
  jiraToken: 'CANARY-hub-jira-api-token',
};
const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAA-HUB-TASK-TOKEN';
const GROUP_MEMBER = 'U0GROUPMEMBER1';
const TEAM = 'T01B5M3VC1X';
const CHANNEL = 'C0123456789';

const HUB = synthesizedTemplates()[HUB_FILE]!;
const hubFunction = (name: string): SynthesizedFunction => {
  const fn = synthesizedFunctions().find((entry) => entry.template === HUB_FILE && entry.path.endsWith(`/Hub/${name}/Function/Resource`));
  if (!fn) throw new Error(`no hub function ${name}`);
  return fn;
};

/** Slack's Web API, its response URLs and Jira, as they answer. */
function saasAnswer(request: Received) {
  if (request.path.startsWith('/slack.com/api/chat.postMessage'))
    return { body: { ok: true, channel: CHANNEL, ts: '1763632800.000100', message: { type: 'message', team: TEAM, ts: '1763632800.000100' } } };
  if (request.path.startsWith('/slack.com/api/usergroups.users.list')) return { body: { ok: true, users: [GROUP_MEMBER] } };
  if (request.path.startsWith('/slack.com/api/')) return { body: { ok: true } };
  if (request.path.startsWith('/hooks.slack.com/')) return { headers: { 'content-type': 'text/html' }, body: 'ok' };
  if (request.path.startsWith('/example.atlassian.net/rest/api/3/search/jql')) return { body: { issues: [], isLast: true } };
  if (request.path === '/example.atlassian.net/rest/api/3/issue' && request.body.includes('refused-by-jira'))
    return { status: 400, body: { errorMessages: ['Field customfield_10010 is required.'] } };
  if (request.path === '/example.atlassian.net/rest/api/3/issue')
    return { status: 201, body: { id: '10042', key: 'SEC-42', self: 'https://example.atlassian.net/rest/api/3/issue/10042' } };
  return { status: 404, body: { message: `no fake for ${request.method} ${request.path}` } };
}

const envelope = (detailType: string, detail: Record<string, unknown>) => ({
  version: '0',
  id: `evt-${detailType.replaceAll(' ', '-').toLowerCase()}`,
  'detail-type': detailType,
  source: 'warden',
  account: MEMBER.account,
  region: MEMBER.region,
  time: new Date().toISOString(),
  resources: [],
  detail,
});

/** An EventBridge schedule's event, as the hub's scheduled functions receive it. */
const scheduledEvent = (id: string) => ({
  version: '0',
  id,
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: MOTO_ACCOUNT,
  region: HUB_REGION,
  time: new Date().toISOString(),
  resources: [],
  detail: {},
});

const finding = (functionName = 'checkout', findingId = '0123456789abcdef0123456789abcdef01234567') => ({
  ...workflowInput({}, 'lambda-function-env-secrets').finding,
  findingId,
  account: MEMBER.account,
  region: MEMBER.region,
  resourceArn: `arn:aws:lambda:${MEMBER.region}:${MEMBER.account}:function:${functionName}`,
  reason: `function ${functionName} has plaintext secrets in its environment: STRIPE_SECRET_KEY`,
  evidence: { functionName, flagged: [{ name: 'STRIPE_SECRET_KEY', rule: 'format:stripe-key', fingerprint: 'a1b2' }] },
});
const executionArn = `arn:aws:states:${MEMBER.region}:${MEMBER.account}:execution:warden-remediation:hub-test`;
const plan = {
  calls: [{ client: 'Lambda', operation: 'UpdateFunctionConfiguration', input: { FunctionName: 'checkout' } }],
  notes: ["The function's code must read each moved value"],
};

describeWithEmulator('AWS emulator (moto): the hub bundles over the wire', () => {
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let saas: Awaited<ReturnType<typeof loopbackServer>>;
  const tableNames = new Map<string, string>();
  const tableKeys = new Map<string, string>();
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    moto = await startMoto();
    useEmulatorEnvironment(moto, HUB_REGION);
    proxy = await startRecordingProxy(moto.endpoint);
    saas = await loopbackServer(saasAnswer);
    dynamodb = new DynamoDBClient({ region: HUB_REGION });
    await provisionHub();
  }, 60_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await Promise.all([proxy?.close(), saas?.close(), moto?.stop()]);
  });

  /** The hub's tables as the template defines them (keys, indexes, encryption under the hub's key), and its secrets. */
  async function provisionHub(): Promise<void> {
    const keys = resourcesOfType(HUB, 'AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    const kms = new KMSClient({ region: HUB_REGION });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'warden hub key (emulated)' }));
    kms.destroy();
    for (const [logicalId, table] of resourcesOfType(HUB, 'AWS::DynamoDB::Table')) {
      const props = table.Properties as Record<string, never>;
      // Named after the construct (Hub/AuditTrail → warden-audittrail), so the recorded requests survive a logical id change.
      const name = `warden-${String(table.Metadata?.['aws:cdk:path']).split('/').at(-2)?.toLowerCase()}`;
      const sse = props['SSESpecification'] as { SSEEnabled?: boolean; SSEType?: 'KMS'; KMSMasterKeyId?: unknown } | undefined;
      await dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: props['BillingMode'],
          KeySchema: props['KeySchema'],
          AttributeDefinitions: props['AttributeDefinitions'],
          GlobalSecondaryIndexes: props['GlobalSecondaryIndexes'],
          ...(sse?.SSEEnabled ? { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KeyMetadata!.Arn! } } : {}),
        }),
      );
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      tableNames.set(logicalId, name);
      const keyArn = Table?.SSEDescription?.KMSMasterKeyArn;
      if (keyArn) tableKeys.set(templated(Table.TableArn!, MOTO_ACCOUNT, HUB_REGION), templated(keyArn, MOTO_ACCOUNT, HUB_REGION));
    }
    const secrets = new SecretsManagerClient({ region: HUB_REGION });
    await secrets.send(new CreateSecretCommand({ Name: 'warden/slack-bot', SecretString: CANARY.botToken }));
    await secrets.send(new CreateSecretCommand({ Name: 'warden/slack-signing', SecretString: CANARY.signingSecret }));
    await secrets.send(
      new CreateSecretCommand({ Name: 'warden/jira', SecretString: JSON.stringify({ email: 'warden@example.com', apiToken: CANARY.jiraToken }) }),
    );
    secrets.destroy();
  }

  /** The function's environment as CloudFormation resolves it: each `Ref` to a table is that table's name. */
  function environmentOf(fn: SynthesizedFunction): Record<string, string> {
    return Object.fromEntries(
      Object.entries(fn.environment).map(([name, value]) => {
        if (typeof value === 'string') return [name, value];
        const ref = (value as { Ref?: string }).Ref;
        const table = ref ? tableNames.get(ref) : undefined;
        if (!table) throw new Error(`${fn.path}: no value for ${name} (${JSON.stringify(value)}); teach hub.test.ts what it deploys as`);
        return [name, table];
      }),
    );
  }

  async function invoke(name: string, event: unknown): Promise<BundleOutcome> {
    const fn = hubFunction(name);
    const accessKeyId = `AKIA${name.toUpperCase().padEnd(16, 'X').slice(0, 16)}`;
    proxy.attribute(accessKeyId, name);
    return runBundle(fn, { endpoint: proxy.url, region: HUB_REGION, environment: environmentOf(fn), accessKeyId, saas: saas.url, event });
  }

  const items = async (logicalIdPrefix: string) => {
    const name = [...tableNames.entries()].find(([logicalId]) => logicalId.startsWith(logicalIdPrefix))![1];
    return ((await dynamodb.send(new ScanCommand({ TableName: name, ConsistentRead: true }))).Items ?? []).map((item) => unmarshall(item));
  };
  const approvalIdPosted = (): string => {
    const posted = saas.received.filter((request) => request.path.startsWith('/slack.com/api/chat.postMessage')).at(-1);
    const blocks = JSON.parse(new URLSearchParams(posted?.body ?? '').get('blocks') ?? '[]') as { type: string; elements?: { value?: string }[] }[];
    return blocks.find((block) => block.type === 'actions')?.elements?.[0]?.value ?? '';
  };

  it('the notifier stores the approval with its task token and posts the request to Slack', async () => {
    const input = workflowInput({ mode: 'approval', approvalTimeoutSeconds: 3600 }, 'lambda-function-env-secrets');
    const outcome = await invoke(
      'SlackNotifier',
      envelope(APPROVAL_DETAIL_TYPE, {
        taskToken: TASK_TOKEN,
        executionArn,
        expiresInSeconds: 3600,
        finding: finding(),
        decision: input.decision,
        plan,
      }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({ loaded: true, result: 'posted' });
    const approvalId = approvalIdPosted();
    expect(approvalId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await items('HubApprovals')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          approvalId,
          taskToken: TASK_TOKEN,
          state: 'PENDING',
          account: MEMBER.account,
          slackTeam: TEAM,
          slackChannel: CHANNEL,
        }),
      ]),
    );
  });

  it('the interaction endpoint takes a signed approval from a user group member, claims it and delivers it through the member role', async () => {
    const approvalId = approvalIdPosted();
    const payload = {
      type: 'block_actions',
      user: { id: GROUP_MEMBER, username: 'carol' },
      team: { id: TEAM, domain: 'acme' },
      channel: { id: CHANNEL, name: 'security-approvals' },
      container: { type: 'message', message_ts: '1763632800.000100', channel_id: CHANNEL, is_ephemeral: false },
      actions: [{ action_id: 'warden_approve', value: approvalId, type: 'button' }],
      response_url: 'https://hooks.slack.com/actions/T1/1/abc',
      message: {
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'request' } },
          { type: 'actions', elements: [] },
        ],
      },
    };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const outcome = await invoke('SlackInteractions', {
      body,
      isBase64Encoded: false,
      httpMethod: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': String(timestamp),
        'X-Slack-Signature': signSlackRequest(body, timestamp, CANARY.signingSecret),
      },
    });
    expect(outcome).toMatchObject({ loaded: true, result: { statusCode: 200 } });
    expect(await items('HubApprovals')).toEqual(
      expect.arrayContaining([expect.objectContaining({ approvalId, state: 'APPROVED', decidedBy: `slack:${GROUP_MEMBER}` })]),
    );
    const delivered = proxy.calls.filter((call) => call.operation === 'SendTaskSuccess');
    expect(delivered).toEqual([
      expect.objectContaining({
        caller: `assumed:arn:aws:iam::${MEMBER.account}:role/warden-approval-delivery-${MEMBER.region}`,
        input: expect.objectContaining({ taskToken: TASK_TOKEN }),
      }),
    ]);
    expect(saas.received.some((request) => request.path === '/hooks.slack.com/actions/T1/1/abc')).toBe(true);
    expect(await items('HubAuditTrail')).toEqual(
      expect.arrayContaining([expect.objectContaining({ state: 'APPROVAL_DELIVERED', actor: `slack:${GROUP_MEMBER}` })]),
    );
  });

  it('the ticket opener opens the Jira issue, keeps its key for the finding and resumes the workflow', async () => {
    const input = workflowInput({ mode: 'ticket' }, 'lambda-function-env-secrets');
    const outcome = await invoke(
      'TicketOpener',
      envelope(TICKET_DETAIL_TYPE, {
        reason: 'mode ticket',
        executionArn,
        taskToken: `${TASK_TOKEN}-ticket`,
        finding: finding(),
        decision: input.decision,
        plan,
      }),
    );
    expect(outcome).toMatchObject({ loaded: true, result: { ticketKey: 'SEC-42' } });
    expect(await items('HubApprovals')).toEqual(expect.arrayContaining([expect.objectContaining({ ticketKey: 'SEC-42' })]));
    expect(proxy.calls.filter((call) => call.operation === 'SendTaskSuccess').at(-1)).toMatchObject({ input: { taskToken: `${TASK_TOKEN}-ticket` } });
  });

  it('a ticket Jira refuses is recorded in the audit trail and fails the waiting task', async () => {
    const input = workflowInput({ mode: 'ticket' }, 'lambda-function-env-secrets');
    const refused = finding('refused-by-jira', 'fedcba9876543210fedcba9876543210fedcba98');
    const outcome = await invoke(
      'TicketOpener',
      envelope(TICKET_DETAIL_TYPE, {
        reason: 'mode ticket',
        executionArn: `${executionArn}-2`,
        taskToken: `${TASK_TOKEN}-refused`,
        finding: refused,
        decision: input.decision,
        plan,
      }),
    );
    expect(outcome.error?.name).toBe('TicketProviderError');
    expect(await items('HubAuditTrail')).toEqual(
      expect.arrayContaining([expect.objectContaining({ state: 'TICKET_FAILED', findingId: refused.findingId, account: MEMBER.account })]),
    );
    expect(proxy.calls.filter((call) => call.operation === 'SendTaskFailure')).toEqual([
      expect.objectContaining({ input: expect.objectContaining({ taskToken: `${TASK_TOKEN}-refused`, error: 'Warden.TicketFailed' }) }),
    ]);
  });

  it('the audit writer appends a workflow audit event to the chain', async () => {
    const outcome = await invoke(
      'AuditWriter',
      envelope(AUDIT_DETAIL_TYPE, {
        findingId: finding().findingId,
        check: 'lambda-function-env-secrets',
        resourceArn: finding().resourceArn,
        state: 'TICKETED',
        executionArn,
        time: new Date().toISOString(),
      }),
    );
    expect(outcome).toMatchObject({ loaded: true });
    expect(outcome.error).toBeUndefined();
    expect(await items('HubAuditTrail')).toEqual(expect.arrayContaining([expect.objectContaining({ state: 'TICKETED', account: MEMBER.account })]));
  });

  it('the digest job chains the last hour of the audit trail', async () => {
    const outcome = await invoke('AuditDigest', scheduledEvent('evt-digest'));
    expect(outcome).toMatchObject({ loaded: true, result: { periods: [expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d$/)] } });
    expect(await items('HubAuditTrail')).toEqual(expect.arrayContaining([expect.objectContaining({ pk: 'DIGEST', prevHash: null })]));
  });

  it('the sweep counts approvals nearing expiry and completes a delivery whose holder died', async () => {
    // An approval claimed two minutes ago by a function that died before it delivered.
    const approvalsTable = [...tableNames.entries()].find(([logicalId]) => logicalId.startsWith('HubApprovals'))![1];
    const store = new ApprovalStore(new DocumentClient(dynamodb), approvalsTable);
    const stale = {
      approvalId: newApprovalId(),
      taskToken: `${TASK_TOKEN}-stale`,
      account: MEMBER.account,
      region: MEMBER.region,
      executionArn: `${executionArn}-stale`,
      findingId: 'abcdefabcdefabcdefabcdefabcdefabcdefabcd',
      check: 'apigateway-stage-waf',
      resourceArn: `arn:aws:apigateway:${MEMBER.region}::/restapis/a1b2c3d4e5/stages/prod`,
      expiresAt: Math.floor(Date.now() / 1000) + 1800,
      state: 'PENDING' as const,
    };
    await store.create(stale);
    await store.bind(stale.approvalId, { team: TEAM, channel: CHANNEL, ts: '1763632800.000200' });
    await store.claim(
      stale.approvalId,
      'APPROVED',
      `slack:${GROUP_MEMBER}`,
      { team: TEAM, channel: CHANNEL, ts: '1763632800.000200' },
      new Date(Date.now() - 2 * LEASE_MS),
    );
    const outcome = await invoke('ApprovalExpiryMonitor', scheduledEvent('evt-schedule'));
    expect(outcome).toMatchObject({ loaded: true, result: { nearingExpiry: 0, recovered: { delivered: 1 } } });
    expect(await store.get(stale.approvalId)).toMatchObject({ state: 'APPROVED' });
    expect(proxy.calls.filter((call) => call.operation === 'SendTaskSuccess').at(-1)).toMatchObject({ input: { taskToken: `${TASK_TOKEN}-stale` } });
  });

  it('no secret value reached a table, a Slack message or the ticket', async () => {
    const stored = JSON.stringify([await items('HubApprovals'), await items('HubAuditTrail')]);
    const sent = JSON.stringify(saas.received.map((request) => request.body));
    for (const value of Object.values(CANARY)) {
      expect(stored).not.toContain(value);
      expect(sent).not.toContain(value);
    }
  });

  // The IAM layer simulates these on the hub's synthesized roles; a call a new code path makes shows up here first.
  it('the IAM requests of every hub call are the recorded ones (refresh: WARDEN_UPDATE_OBSERVED_REQUESTS=1)', () => {
    expect(proxy.calls.filter((call) => call.caller.startsWith('unknown:'))).toEqual([]);
    // The only refusal on the wire is none: Jira's refusal is not an AWS call.
    expect(proxy.calls.filter((call) => call.error)).toEqual([]);
    const observed = inventoryOf(proxy.calls, MOTO_ACCOUNT, HUB_REGION, { tableKeys });
    if (process.env['WARDEN_UPDATE_OBSERVED_REQUESTS'] === '1') writeFileSync(OBSERVED_REQUESTS, `${JSON.stringify(observed, null, 2)}\n`);
    const recorded = JSON.parse(readFileSync(OBSERVED_REQUESTS, 'utf8')) as unknown;
    expect(observed).toEqual(recorded);
    for (const name of ['AuditWriter', 'AuditDigest', 'SlackNotifier', 'SlackInteractions', 'TicketOpener', 'ApprovalExpiryMonitor'])
      expect(Object.keys(observed)).toContain(name);
  });
});
