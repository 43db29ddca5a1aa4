import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli';
import type { ScannedResource } from '../../cli/scan/scan-account';
import type { Simulation } from '../../cli/simulate/simulate';
import { CANARY_SECRET, provisionSampleAccount, type SampleAccount } from '../../examples/emulator/sample-account';
import { emulatorEnvironment, type Moto, startMoto } from '../../examples/emulator/moto';
import { describeWithEmulator } from '../support/describe-with-emulator';

const REGION = 'eu-west-1';

const run = (args: string[]) => runCli(args, { env: process.env });

/** What each resource was judged, by check and ARN. */
const verdicts = (entries: readonly { check: string; resourceArn: string; status: string }[]) =>
  Object.fromEntries(entries.map((entry) => [`${entry.check} ${entry.resourceArn}`, entry.status]));

describeWithEmulator('warden snapshot record, then simulate --sweep, against the AWS emulator', () => {
  let moto: Moto;
  let account: SampleAccount;
  const saved = { ...process.env };
  const file = join(mkdtempSync(join(tmpdir(), 'warden-snapshot-')), 'snapshot.json');

  beforeAll(async () => {
    moto = await startMoto();
    Object.assign(process.env, emulatorEnvironment(moto, REGION));
    account = await provisionSampleAccount(REGION);
  }, 90_000);

  afterAll(() => {
    process.env = saved;
    return moto?.stop();
  });

  it('records read-only, replaces every environment value, and writes no secret value', async () => {
    const recorded = await run(['snapshot', 'record', '--region', REGION, '--output', file, '--policy', 'config/policy.yaml', '--json']);
    expect(recorded).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(recorded.stdout)).toMatchObject({ account: account.account, region: REGION, verdictsLost: 0 });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(CANARY_SECRET);
    const snapshot = JSON.parse(text) as { responses: Record<string, unknown[]>; redacted: { variable: string; fingerprint: string }[] };
    expect(snapshot.redacted.map((entry) => entry.variable)).toEqual(expect.arrayContaining(['STRIPE_SECRET_KEY', 'STAGE', 'TABLE_NAME']));
    // Reads only: no call that changes anything was made while recording.
    expect(Object.keys(snapshot.responses).filter((call) => !/\.(Get|List|Describe)/.test(call))).toEqual([]);
  }, 90_000);

  it('simulate --sweep over the recording judges every resource as scan judges the account', async () => {
    const scan = await run(['scan', '--json', '--region', REGION, '--policy', 'config/policy.yaml']);
    const scanned = (JSON.parse(scan.stdout) as { results: ScannedResource[] }).results.filter((result) => result.status !== 'ERROR');
    const simulated = await run(['simulate', '--sweep', '--snapshot', file, '--policy', 'config/policy.yaml', '--json']);
    const simulation = JSON.parse(simulated.stdout) as Simulation;
    const findings = simulation.results.flatMap((result) => result.findings);
    expect(verdicts(findings)).toEqual(verdicts(scanned));
    expect(scanned.length).toBeGreaterThan(15);
    // The function with a planted secret is still found, by the same variable, from its stand-in.
    const secret = findings.find((finding) => finding.check === 'lambda-function-env-secrets' && finding.status === 'NON_COMPLIANT');
    expect(secret?.flagged).toEqual(['STRIPE_SECRET_KEY']);
    // What the scan could not read (moto does not model function URL listings) is an error in both.
    expect(simulation.errors.map((error) => error.check)).toEqual(expect.arrayContaining(['lambda-function-url-auth']));
    expect(simulated.stdout).not.toContain(CANARY_SECRET);
  }, 120_000);
});
