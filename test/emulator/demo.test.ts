import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeWithEmulator } from '../support/describe-with-emulator';

const ROOT = join(__dirname, '..', '..');

describeWithEmulator('npm run demo:emulator', () => {
  it('fixes, verifies, records and undoes real changes in the emulator, and leaks no secret', () => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'examples', 'emulator', 'demo.ts')], {
      cwd: ROOT,
      env: clean,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const fixed = [
      'apigateway-stage-waf',
      'lambda-function-env-secrets',
      'sqs-queue-encryption',
      'lambda-log-group-retention',
      'sns-topic-encryption',
      'lambda-function-public-access',
      'apigateway-stage-access-logging',
    ];
    for (const check of ['apigateway-stage-throttling', ...fixed]) {
      expect(run.stdout).toMatch(new RegExp(`REMEDIATED  ${check} `));
    }
    for (const check of fixed) {
      expect(run.stdout).toMatch(new RegExp(`${check}: NON_COMPLIANT again, as before Warden`));
    }
    // Undo removes the */* setting Warden added; moto accepts the call and ignores it.
    expect(run.stdout).toContain('apigateway-stage-throttling: still COMPLIANT here: moto ignored the undo call');
    expect(run.stdout).toMatch(/REPORTED {2}dynamodb-table-encryption .*table\/orders/);
    // EventBridge publishes to this topic: the AWS managed key would stop it, so nothing is applied.
    expect(run.stdout).toMatch(/REPORTED {2}sns-topic-encryption .*:order-notifications/);
    expect(run.stdout).toContain('every chain intact');
    expect(run.stdout).toContain(
      `The planted secret value appears in the audit trail: no. ${fixed.length + 1} fixes applied, verified, recorded and undone.`,
    );
  }, 120_000);
});
