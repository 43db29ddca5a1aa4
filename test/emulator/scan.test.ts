import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ScannedResource } from '../../cli/scan/scan-account';
import { regionsToScan } from '../../cli/scan/regions';
import { CANARY_SECRET, provisionSampleAccount, type SampleAccount } from '../../examples/emulator/sample-account';
import { emulatorEnvironment, type Moto, startMoto } from '../../examples/emulator/moto';
import { describeWithEmulator } from '../support/describe-with-emulator';

/* `warden scan --json` as a user runs it: the CLI in its own process, pointed at moto by AWS_ENDPOINT_URL. */

const ROOT = join(__dirname, '..', '..');
const REGION = 'eu-west-1';

function runCli(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'warden.js'), ...args], {
      cwd: ROOT,
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describeWithEmulator('warden scan --json against the AWS emulator', () => {
  let moto: Moto;
  let account: SampleAccount;
  let run: { code: number | null; stdout: string; stderr: string };
  let results: ScannedResource[];

  beforeAll(async () => {
    moto = await startMoto();
    const env = emulatorEnvironment(moto, REGION);
    Object.assign(process.env, env);
    account = await provisionSampleAccount(REGION);
    run = await runCli(['scan', '--json', '--region', REGION, '--policy', 'config/policy.yaml'], env);
    results = (JSON.parse(run.stdout) as { results: ScannedResource[] }).results;
  }, 90_000);

  afterAll(() => moto?.stop());

  const statusOf = (check: string, arn: string) => results.find((result) => result.check === check && result.resourceArn === arn)?.status;

  it('reports the account of the credentials and exits 1 because something is noncompliant', () => {
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ account: account.account, region: REGION });
  });

  it.each([
    ['dynamodb-table-encryption', 'tables'],
    ['apigateway-stage-throttling', 'stages'],
    ['lambda-function-env-secrets', 'functions'],
  ] as const)('%s: the noncompliant resource is NON_COMPLIANT and the compliant one COMPLIANT', (check, kind) => {
    expect(statusOf(check, account[kind].noncompliant)).toBe('NON_COMPLIANT');
    expect(statusOf(check, account[kind].compliant)).toBe('COMPLIANT');
  });

  // Failed while scan planned without the account's baseline web ACL: ERROR ("no web ACL for eu-west-1").
  it("apigateway-stage-waf: the stage without a web ACL is NON_COMPLIANT, with the account's baseline ACL in its plan", () => {
    const stage = results.find((result) => result.check === 'apigateway-stage-waf' && result.resourceArn === account.stages.noncompliant);
    expect(stage).toMatchObject({
      status: 'NON_COMPLIANT',
      plannedCalls: [{ operation: 'AssociateWebACL', input: { WebACLArn: account.baselineWebAclArn } }],
    });
  });

  it('apigateway-stage-waf: the protected stage is COMPLIANT', () => {
    expect(statusOf('apigateway-stage-waf', account.stages.compliant)).toBe('COMPLIANT');
  });

  it('changes nothing and prints no secret value', () => {
    expect(run.stdout + run.stderr).not.toContain(CANARY_SECRET);
    // moto does not model ListFunctionUrlConfigs (README: emulator gaps): that check's resources are the only
    // errors, each reported by name, and every other result stands.
    const errors = results.filter((result) => result.status === 'ERROR');
    expect(errors.map((result) => [result.check, result.resourceArn])).toEqual([
      ['lambda-function-url-auth', account.functions.noncompliant],
      ['lambda-function-url-auth', account.functions.compliant],
    ]);
  });

  it('scans several regions, two at a time, each result naming its region, and says per check where it is', async () => {
    const env = emulatorEnvironment(moto, REGION);
    const both = await runCli(
      [
        'scan',
        '--json',
        '--regions',
        `${REGION},us-east-1`,
        '--policy',
        'config/policy.yaml',
        '--checks',
        'lambda-function-env-secrets,lambda-execution-role-wildcards',
      ],
      env,
    );
    const json = JSON.parse(both.stdout) as { regions: string[]; results: ScannedResource[] };
    expect(json.regions).toEqual([REGION, 'us-east-1']);
    // The functions are eu-west-1's; the roles are global, judged in us-east-1 only.
    expect(json.results.filter((result) => result.check === 'lambda-function-env-secrets').map((result) => result.region)).toEqual([REGION, REGION]);
    expect(new Set(json.results.filter((result) => result.check === 'lambda-execution-role-wildcards').map((result) => result.region))).toEqual(
      new Set(['us-east-1']),
    );
    expect(json.results.find((result) => result.resourceArn === account.roles.noncompliant)).toMatchObject({ status: 'NON_COMPLIANT' });
    expect(both.stderr).toContain(`scanned lambda-function-env-secrets in ${REGION}: 2 resources, 1 findings, 0 errors\n`);
    expect(both.stderr).toContain('scanned lambda-execution-role-wildcards in us-east-1: ');
  }, 90_000);

  it('--regions all asks EC2 for the regions enabled in the account', async () => {
    const env = emulatorEnvironment(moto, REGION);
    Object.assign(process.env, env);
    const regions = await regionsToScan({ regions: 'all' }, REGION);
    expect(regions).toEqual(expect.arrayContaining(['eu-west-1', 'us-east-1', 'ap-southeast-2']));
  });

  it('scans the accounts of an organization through the role assumed in each, each result naming its account', async () => {
    const env = emulatorEnvironment(moto, REGION);
    const other = '210987654321';
    const scanned = await runCli(
      [
        'scan',
        '--json',
        '--accounts',
        `${account.account},${other}`,
        '--role-name',
        'WardenScan',
        '--region',
        REGION,
        '--checks',
        'dynamodb-table-encryption',
        '--policy',
        'config/policy.yaml',
      ],
      env,
    );
    const json = JSON.parse(scanned.stdout) as { accounts: string[]; unreadable: unknown[]; results: ScannedResource[] };
    expect(json).toMatchObject({ accounts: [account.account, other], unreadable: [] });
    // The sample account's tables are its own; the other account (moto keeps one per account) has none.
    expect(new Set(json.results.map((result) => result.account))).toEqual(new Set([account.account]));
    expect(json.results.find((result) => result.resourceArn === account.tables.noncompliant)).toMatchObject({
      status: 'NON_COMPLIANT',
      account: account.account,
    });
    expect(scanned.stderr).toContain(`scanned dynamodb-table-encryption in ${other}/${REGION}: 0 resources, 0 findings, 0 errors`);
  }, 90_000);
});
