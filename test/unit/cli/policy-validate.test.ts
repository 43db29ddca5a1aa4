import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/run-cli';

const ROOT = join(__dirname, '../../..');

const run = (args: string[], cwd = ROOT) => runCli(args, { cwd });

describe('warden policy validate', () => {
  it('validates the default policy with a one-line summary and exit 0', async () => {
    const result = await run(['policy', 'validate']);
    expect(result).toEqual({
      code: 0,
      stdout: 'config/policy.yaml: valid policy (4 checks configured, 2 overrides, 2 exemptions, 0 warnings)\n',
      stderr: '',
    });
  });

  it('prints one located line per problem and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-policy-'));
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\ndefaults:\n  mode: fix\n  dryrun: true\n');
    const result = await run(['policy', 'validate', 'bad.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'bad.yaml:3:9: defaults.mode: expected a mode: auto, approval, ticket, report\n' +
        'bad.yaml:4:3: defaults.dryrun: unknown key "dryrun"; did you mean "dryRun"?\n',
    );
  });

  it('names a missing file in one line, without a stack trace, and exits 1', async () => {
    const result = await run(['policy', 'validate', 'missing.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('warden policy validate: cannot read policy file missing.yaml\n');
  });

  it('shows the cause and stack with --debug', async () => {
    const result = await run(['policy', 'validate', 'missing.yaml', '--debug']);
    expect(result.stderr).toMatch(/ENOENT|at /);
  });

  it('exits 2 on an unknown flag or too many files', async () => {
    expect((await run(['policy', 'validate', '--strict'])).code).toBe(2);
    expect((await run(['policy', 'validate', 'a.yaml', 'b.yaml'])).code).toBe(2);
  });

  it('prints help with examples and exit codes', async () => {
    const result = await run(['policy', 'validate', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('Exit codes: 0 valid');
  });

  it('answers in JSON with --json: valid with its summary, or each problem located', async () => {
    const valid = await run(['policy', 'validate', '--json']);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({ file: 'config/policy.yaml', valid: true, errors: [], warnings: [] });
    const dir = mkdtempSync(join(tmpdir(), 'warden-json-'));
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\ndefaults: { mode: fix }\n');
    const invalid = await run(['policy', 'validate', 'bad.yaml', '--json'], dir);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout)).toEqual({
      file: 'bad.yaml',
      valid: false,
      summary: '1 error',
      errors: [
        { file: 'bad.yaml', line: 2, col: 19, path: 'defaults.mode', message: 'expected a mode: auto, approval, ticket, report', severity: 'error' },
      ],
      warnings: [],
    });
    expect(invalid.stderr).toBe('');
  });

  it('rejects an unknown command with the overview and exit 2', async () => {
    const result = await run(['polcy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'polcy'");
  });
});
