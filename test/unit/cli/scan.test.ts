import { join } from 'node:path';
import { runCli } from '../../support/run-cli';
import { scanAccount } from '../../../cli/scan/scan-account';
import { boundedMap, regionsToScan } from '../../../cli/scan/regions';
import { replayClients } from '../../../cli/simulate/replay-clients';
import { loadSnapshot } from '../../../cli/simulate/snapshot';
import { loadPolicyFile } from '../../../core/policy/parse-policy';

const ROOT = join(__dirname, '../../..');

/** The snapshot's recorded configuration of the checkout function. */
function checkoutConfiguration(responses: Readonly<Record<string, readonly { input: unknown; output?: unknown }[]>>): unknown {
  const recorded = (responses['Lambda.GetFunctionConfiguration'] ?? []).find(
    (entry) => (entry.output as { FunctionName?: string } | undefined)?.FunctionName === 'checkout',
  );
  if (!recorded) throw new Error('examples/snapshot.json records no configuration of checkout');
  return recorded.output;
}

describe('scanAccount', () => {
  it('lists, judges and reports what the policy would do, without starting anything', async () => {
    const snapshot = loadSnapshot(join(ROOT, 'examples/snapshot.json'));
    const responses = {
      ...snapshot.responses,
      'DynamoDB.ListTables': [{ input: {}, output: { TableNames: ['orders', 'payments', 'sandbox-scratch'] } }],
      // ListFunctions carries each function's configuration, environment included, as GetFunctionConfiguration does.
      'Lambda.ListFunctions': [{ input: {}, output: { Functions: [checkoutConfiguration(snapshot.responses)] } }],
    };
    const progress: number[] = [];
    const results = await scanAccount({
      clients: replayClients({ ...snapshot, responses }),
      account: '111122223333',
      region: 'us-east-1',
      policy: loadPolicyFile(join(ROOT, 'examples/policy.yaml')).policy,
      checks: ['dynamodb-table-encryption', 'lambda-function-env-secrets'],
      now: new Date('2026-11-20T10:00:00Z'),
      onProgress: (done) => progress.push(done),
    });
    expect(results.map((result) => [result.resourceArn.split(/[:/]/).pop(), result.status, result.wouldDo])).toEqual([
      ['orders', 'NON_COMPLIANT', 'auto'],
      ['payments', 'COMPLIANT', undefined],
      ['sandbox-scratch', 'NON_COMPLIANT', 'exempt'],
      ['checkout', 'NON_COMPLIANT', 'ticket'],
    ]);
    expect(results[3]?.flagged).toEqual(['DATABASE_URL', 'STRIPE_SECRET_KEY']);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(JSON.stringify(results)).not.toContain('sk_live_51DEMO');
  });

  it('reports a resource it cannot read as an error and goes on', async () => {
    const snapshot = loadSnapshot(join(ROOT, 'examples/snapshot.json'));
    const responses = { ...snapshot.responses, 'DynamoDB.ListTables': [{ input: {}, output: { TableNames: ['unrecorded', 'payments'] } }] };
    const results = await scanAccount({
      clients: replayClients({ ...snapshot, responses }),
      account: '111122223333',
      region: 'us-east-1',
      policy: loadPolicyFile(join(ROOT, 'examples/policy.yaml')).policy,
      checks: ['dynamodb-table-encryption'],
      now: new Date(),
    });
    expect(results.map((result) => result.status)).toEqual(['ERROR', 'COMPLIANT']);
    expect(results[0]?.error).toContain('no response for DynamoDB.DescribeTable');
  });
});

describe('scanAccount with a check it cannot list', () => {
  it("reports that check's list as an error, says so per check, and still scans the others", async () => {
    const snapshot = loadSnapshot(join(ROOT, 'examples/snapshot.json'));
    const responses = {
      ...snapshot.responses,
      'DynamoDB.ListTables': [{ input: {}, error: { name: 'AccessDeniedException', message: 'not authorized to perform: dynamodb:ListTables' } }],
      'Lambda.ListFunctions': [{ input: {}, output: { Functions: [checkoutConfiguration(snapshot.responses)] } }],
    };
    const done: string[] = [];
    const results = await scanAccount({
      clients: replayClients({ ...snapshot, responses }),
      account: '111122223333',
      region: 'us-east-1',
      policy: loadPolicyFile(join(ROOT, 'examples/policy.yaml')).policy,
      checks: ['dynamodb-table-encryption', 'lambda-function-env-secrets'],
      now: new Date(),
      onCheckDone: (check, tally) => done.push(`${check} ${tally.resources} ${tally.findings} ${tally.errors}`),
    });
    expect(results.map((result) => [result.check, result.status, result.region])).toEqual([
      ['dynamodb-table-encryption', 'ERROR', 'us-east-1'],
      ['lambda-function-env-secrets', 'NON_COMPLIANT', 'us-east-1'],
    ]);
    expect(results[0]).toMatchObject({
      resourceArn: '(every dynamodb-table-encryption resource)',
      error: expect.stringMatching(/^AccessDeniedException: /),
    });
    expect(done).toEqual(['dynamodb-table-encryption 1 0 1', 'lambda-function-env-secrets 1 1 0']);
  });
});

describe('warden scan flags', () => {
  const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });

  it('exits 2 on an unknown check or a missing region', async () => {
    expect(await run(['scan', '--checks', 's3-public', '--region', 'us-east-1'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown check s3-public'),
    });
    expect(await run(['scan'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no region') });
  });

  it('prints help with examples', async () => {
    expect((await runCli(['scan', '--help'])).stdout).toContain('Examples:');
  });
});

describe('the regions a scan covers', () => {
  const ec2 = (regions: string[]) => () => ({ send: () => Promise.resolve({ Regions: regions.map((RegionName) => ({ RegionName })) }) }) as never;

  it('is every region enabled in the account for --regions all, as EC2 lists them', async () => {
    await expect(regionsToScan({ regions: 'all' }, 'eu-west-1', ec2(['us-east-1', 'eu-west-1', 'ap-south-1']))).resolves.toEqual([
      'ap-south-1',
      'eu-west-1',
      'us-east-1',
    ]);
  });

  it('is the regions named, once each, or --region, or the environment', async () => {
    await expect(regionsToScan({ regions: 'eu-west-1, us-east-1,eu-west-1' }, undefined)).resolves.toEqual(['eu-west-1', 'us-east-1']);
    await expect(regionsToScan({ region: 'eu-central-1' }, 'us-east-1')).resolves.toEqual(['eu-central-1']);
    await expect(regionsToScan({}, 'us-east-1')).resolves.toEqual(['us-east-1']);
  });

  it('refuses a name that is no region, both flags at once, and no region at all', async () => {
    await expect(regionsToScan({ regions: 'eu-west-1,ireland' }, undefined)).rejects.toThrow(
      "--regions: 'ireland' is not a region name like eu-west-1 (or use --regions all)",
    );
    await expect(regionsToScan({ regions: 'all', region: 'eu-west-1' }, 'eu-west-1')).rejects.toThrow('pass --region or --regions, not both');
    await expect(regionsToScan({}, undefined)).rejects.toThrow('no region');
  });

  it('runs at most the limit at once, and keeps the order', async () => {
    let running = 0;
    let most = 0;
    const answers = await boundedMap([1, 2, 3, 4, 5], 2, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5 * (6 - item)));
      running -= 1;
      return item * 10;
    });
    expect(answers).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });
});
