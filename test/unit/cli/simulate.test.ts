import { CHECK_IDS } from '../../../core/catalogue';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/run-cli';

const ROOT = join(__dirname, '../../..');

const run = (args: string[]) => runCli(args);

const DEMO = ['simulate', '--events', 'examples/events', '--snapshot', 'examples/snapshot.json', '--policy', 'examples/policy.yaml'];

interface Json {
  results: { event: string; checks: string[]; findings: Record<string, unknown>[] }[];
  errors: Record<string, unknown>[];
  audit: { records: number; chainsVerified: boolean };
}

describe('warden simulate', () => {
  let output: Json;
  let exitCode: number;

  beforeAll(async () => {
    const result = await run([...DEMO, '--json']);
    exitCode = result.code;
    output = JSON.parse(result.stdout) as Json;
  });

  it('exits 1 with findings, and 0 with --exit-zero (as npm run demo runs it)', async () => {
    expect(exitCode).toBe(1);
    expect((await run([...DEMO, '--exit-zero', '--json'])).code).toBe(0);
  });

  it('routes every example event and reports findings for every check', () => {
    const noncompliant = output.results.flatMap((result) => result.findings).filter((finding) => finding['status'] === 'NON_COMPLIANT');
    expect(new Set(noncompliant.map((finding) => finding['check']))).toEqual(new Set(CHECK_IDS));
    expect(output.errors).toEqual([]);
    expect(output.audit).toEqual({ records: 30, chainsVerified: true });
  });

  it('names the stack that manages a resource, and says in the plan that its next deploy reverts the fix', () => {
    // Lambda functions carry CloudFormation's aws:cloudformation tags (SQS queues and DynamoDB tables do not).
    const fn = output.results.flatMap((result) => result.findings).find((finding) => finding['check'] === 'lambda-function-env-secrets');
    expect(fn?.['managedBy']).toEqual({ tool: 'cloudformation', stack: 'checkout-service', logicalId: 'CheckoutFunction' });
    expect(fn?.['notes']).toEqual(expect.arrayContaining([expect.stringContaining('its next deploy reverts this fix')]));
    const table = output.results.flatMap((result) => result.findings).find((finding) => finding['check'] === 'dynamodb-table-encryption');
    expect(table).not.toHaveProperty('managedBy');
  });

  it('reaches the terminal state of each mode, in dry run, with the planned calls', () => {
    const byEvent = Object.fromEntries(output.results.map((result) => [result.event.slice(-2), result]));
    expect(byEvent['01']?.findings).toEqual([
      {
        check: 'dynamodb-table-encryption',
        resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
        status: 'NON_COMPLIANT',
        reason: 'table orders is encrypted with the AWS owned key, not a KMS key',
        findingId: expect.stringMatching(/^[0-9a-f]{40}$/),
        dryRun: true,
        mode: 'auto',
        decidedBy: 'checks.dynamodb-table-encryption',
        plannedCalls: [
          { client: 'DynamoDB', operation: 'UpdateTable', input: { TableName: 'orders', SSESpecification: { Enabled: true, SSEType: 'KMS' } } },
        ],
        notes: expect.any(Array),
        outcome: 'REMEDIATED',
      },
    ]);
    expect(byEvent['03']?.findings[0]).toMatchObject({ mode: 'auto', exemptBy: 'exemptions[1]', outcome: 'EXEMPTED' });
    expect(byEvent['04']?.findings.map((finding) => [finding['check'], finding['mode'], finding['outcome']])).toEqual([
      ['apigateway-stage-throttling', 'report', 'REPORTED'],
      ['apigateway-stage-waf', 'approval', 'REPORTED'],
      ['apigateway-stage-access-logging', 'auto', 'REMEDIATED'],
    ]);
    expect(byEvent['08']?.findings[0]).toMatchObject({ flagged: ['DATABASE_URL', 'STRIPE_SECRET_KEY'], mode: 'ticket', outcome: 'TICKETED' });
  });

  it('starts one execution per finding and reports the rest as duplicates', () => {
    const duplicate = output.results.find((result) => result.event.endsWith('06'));
    const original = output.results.find((result) => result.event.endsWith('04'));
    expect(duplicate?.findings.map((finding) => finding['duplicateOf'])).toEqual(original?.findings.map((finding) => finding['findingId']));
  });

  it('routes a failed call nowhere and judges HTTP API stages not applicable', () => {
    expect(output.results.find((result) => result.event.endsWith('10'))).toMatchObject({ checks: [], findings: [] });
    expect(output.results.find((result) => result.event.endsWith('07'))?.findings.map((finding) => finding['status'])).toEqual([
      'NOT_APPLICABLE',
      'NOT_APPLICABLE',
      'NOT_APPLICABLE',
    ]);
  });

  it("shows the exemption's reason and expiry, the approval's channel and approvers, and the ticket's provider and project", async () => {
    const findings = output.results.flatMap((result) => result.findings);
    expect(findings.find((finding) => finding['exemptBy'] === 'exemptions[1]')?.['exemption']).toEqual({
      rule: 'exemptions[1]',
      reason: 'sandbox tables hold no customer data',
    });
    expect(findings.find((finding) => finding['check'] === 'sns-topic-encryption')?.['approval']).toEqual({
      channel: 'C0123456789',
      approvers: ['U0123ABCD9'],
      timeoutSeconds: 86_400,
    });
    expect(findings.find((finding) => finding['check'] === 'apigateway-method-authorization')?.['ticket']).toEqual({
      provider: 'jira',
      where: 'SEC',
    });
    const text = (await run(DEMO)).stdout;
    expect(text).toContain('decision: exempt by exemptions[0]: internal test stage behind the corporate VPN (until 2099-12-31) → EXEMPTED (dry run)');
    expect(text).toContain('approval: would ask in Slack channel C0123456789 (approvers U0123ABCD9), waiting up to 24 h');
    expect(text).toContain('ticket:   would open a jira ticket in SEC');
    expect(text).toContain('open methods: GET /, POST /orders (names only; values never leave the detector)');
  });

  it("fails only the resource whose response the snapshot lacks, and keeps the event's other results", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-miss-'));
    const snapshot = JSON.parse(readFileSync(join(ROOT, 'examples/snapshot.json'), 'utf8')) as { responses: Record<string, unknown> };
    delete snapshot.responses['WAFV2.GetWebACLForResource'];
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    const result = await run([
      'simulate',
      '--events',
      'examples/events/04-apigateway-create-stage-prod.json',
      '--snapshot',
      join(dir, 'snapshot.json'),
      '--policy',
      'examples/policy.yaml',
      '--json',
    ]);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.results[0]?.findings.map((finding) => finding['check'])).toEqual(['apigateway-stage-throttling', 'apigateway-stage-access-logging']);
    expect(json.errors).toEqual([
      {
        file: 'examples/events/04-apigateway-create-stage-prod.json',
        event: 'e0000000-0000-4000-8000-000000000004',
        check: 'apigateway-stage-waf',
        resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
        error: expect.stringMatching(/^the snapshot has no response for WAFV2.GetWebACLForResource with /),
      },
    ]);
    expect(result.code).toBe(1);
  });

  it('says what a snapshot needs when it is empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-empty-'));
    writeFileSync(join(dir, 'snapshot.json'), '{}');
    const result = await run(['simulate', '--events', 'examples/events', '--snapshot', join(dir, 'snapshot.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `warden simulate: snapshot ${join(dir, 'snapshot.json')} has no account, region, responses: a snapshot is { "account", "region", "responses": { "<Client>.<Operation>": [...] } } (see the README)\n`,
    );
  });

  it('never prints a secret value from the snapshot', () => {
    const text = JSON.stringify(output);
    expect(text).not.toContain('sk_live_51DEMO');
    expect(text).not.toContain('Demo-Only-Pa55w0rd');
  });

  it('prints readable blocks by default', async () => {
    const result = await run(DEMO);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ lambda-function-env-secrets  arn:aws:lambda:us-east-1:111122223333:function:checkout  NON_COMPLIANT');
    expect(result.stdout).toContain('audit trail: 30 records, hash chains verified');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('lists unusable inputs in errors, processes the valid ones beside them, and exits 1', async () => {
    const result = await run([
      'simulate',
      '--events',
      'test/fixtures/simulate',
      '--snapshot',
      'examples/snapshot.json',
      '--policy',
      'examples/policy.yaml',
      '--json',
    ]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.errors).toEqual([
      { file: 'test/fixtures/simulate/mixed.json', index: 1, event: 'wrong-type', error: expect.stringContaining('account') },
      { file: 'test/fixtures/simulate/mixed.json', index: 2, error: expect.stringContaining('not an EventBridge event') },
      { file: 'test/fixtures/simulate/not-json.json', error: expect.stringContaining('not JSON') },
      { file: 'test/fixtures/simulate/too-big.json', event: 'too-big', error: expect.stringContaining('256 KB') },
    ]);
    expect(json.results.map((entry) => entry.event)).toEqual(['e0000000-0000-4000-8000-000000000004']);
  });

  it.each([
    [['simulate', '--snapshot', 'examples/snapshot.json'], 2, '--events <dir|file> is required'],
    [['simulate', '--events', 'examples/events'], 2, '--snapshot <file> is required'],
    [
      ['simulate', '--events', 'examples/events', '--snapshot', 'examples/snapshot.json', '--frobnicate'],
      2,
      "warden simulate: unknown option '--frobnicate' (usage: 'warden simulate --help')",
    ],
    [['simulate', '--events', 'nowhere', '--snapshot', 'examples/snapshot.json'], 1, 'events nowhere: ENOENT'],
    [['simulate', '--events', 'examples/events', '--snapshot', 'missing.json'], 1, 'snapshot'],
  ])('%j exits %i naming the problem', async (args, code, message) => {
    const result = await run(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  /** The detail of an own event made to name a resource of another account and region. */
  const forgeDetail = (detail: Record<string, unknown>) => {
    const item = detail['configurationItem'] as Record<string, unknown> | undefined;
    return {
      ...detail,
      recipientAccountId: '999988887777',
      awsRegion: 'ap-south-1',
      ...(item ? { configurationItem: { ...item, awsAccountId: '999988887777', awsRegion: 'ap-south-1' } } : {}),
    };
  };

  it('plans nothing for events of another account or region: each one is an error, never a finding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-foreign-'));
    const examples = readdirSync(join(ROOT, 'examples/events')).map(
      (file) =>
        JSON.parse(readFileSync(join(ROOT, 'examples/events', file), 'utf8')) as Record<string, unknown> & { detail: Record<string, unknown> },
    );
    const foreign = examples.flatMap((event, index) => [
      { ...event, id: `foreign-account-${index}`, account: '999988887777', detail: { ...event.detail, recipientAccountId: '999988887777' } },
      { ...event, id: `foreign-region-${index}`, region: 'eu-west-1', detail: { ...event.detail, awsRegion: 'eu-west-1' } },
      { ...event, id: `forged-detail-${index}`, detail: forgeDetail(event.detail) },
      { ...event, id: `forged-envelope-${index}`, account: '999988887777' },
    ]);
    writeFileSync(join(dir, 'foreign.json'), JSON.stringify(foreign));
    const result = await run(['simulate', '--events', dir, '--snapshot', 'examples/snapshot.json', '--policy', 'examples/policy.yaml', '--json']);
    const json = JSON.parse(result.stdout) as Json;
    const planned = json.results
      .flatMap((entry) => entry.findings)
      .filter((finding) => finding['status'] === 'NON_COMPLIANT' || (finding['plannedCalls'] as unknown[] | undefined)?.length);
    expect(planned).toEqual([]);
    const refused = json.errors.filter((error) => String(error['error']).includes('outside 111122223333/us-east-1'));
    expect(refused.length).toBeGreaterThanOrEqual(foreign.length - 2 * 4);
    expect(result.code).toBe(1);
  });

  it('reports a function it cannot decrypt as NOT_EVALUATED, recorded as reported, with no planned call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-cmk-'));
    const snapshot = JSON.parse(readFileSync(join(ROOT, 'examples/snapshot.json'), 'utf8')) as {
      responses: Record<string, { input: Record<string, unknown>; output: Record<string, unknown> }[]>;
    };
    for (const entry of snapshot.responses['Lambda.GetFunctionConfiguration'] ?? []) {
      entry.output = {
        ...entry.output,
        KMSKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        Environment: { Error: { ErrorCode: 'AccessDeniedException', Message: 'KMS access was denied' } },
      };
    }
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    const result = await run([
      'simulate',
      '--events',
      'examples/events/08-lambda-create-checkout.json',
      '--snapshot',
      join(dir, 'snapshot.json'),
      '--policy',
      'examples/policy.yaml',
      '--json',
    ]);
    const [finding] = (JSON.parse(result.stdout) as Json).results.flatMap((entry) => entry.findings);
    expect(finding).toMatchObject({
      check: 'lambda-function-env-secrets',
      status: 'NOT_EVALUATED',
      outcome: 'REPORTED',
      decidedBy: 'not evaluated',
      plannedCalls: [],
    });
    expect(String(finding?.['reason'])).toContain('environment not evaluated');
  });

  it('names the file and field of a malformed snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-snapshot-'));
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify({ account: '1234', region: 'us-east-1', responses: {} }));
    const result = await run(['simulate', '--events', 'examples/events', '--snapshot', join(dir, 'snapshot.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('snapshot.json: account: expected a 12-digit account id');
  });
});
