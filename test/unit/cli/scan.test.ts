import { join } from 'node:path';
import { main } from '../../../cli/main';
import { scanAccount } from '../../../cli/scan/scan-account';
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

describe('warden scan flags', () => {
  const run = async (args: string[], env: Record<string, string> = {}) => {
    let stderr = '';
    const code = await main(args, { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env, cwd: ROOT });
    return { code, stderr };
  };

  it('exits 2 on an unknown check or a missing region', async () => {
    expect(await run(['scan', '--checks', 's3-public', '--region', 'us-east-1'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown check s3-public'),
    });
    expect(await run(['scan'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no region') });
  });

  it('prints help with examples', async () => {
    let stdout = '';
    await main(['scan', '--help'], { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true }, env: {}, cwd: ROOT });
    expect(stdout).toContain('Examples:');
  });
});
