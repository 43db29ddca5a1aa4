import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../../cli/main';
import { runCli } from '../../support/run-cli';
import { CHECK_IDS } from '../../../core/catalogue';

const ROOT = join(__dirname, '../../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const run = (args: string[]) => runCli(args);

describe('the warden command line', () => {
  it('prints its version with --version, and exits 0', async () => {
    const result = await run(['--version']);
    expect(result).toEqual({ code: 0, stdout: `warden ${VERSION} (Node.js ${process.versions.node})\n`, stderr: '' });
  });

  it("shows a group's commands with 'warden <group> --help' (exit 0), and alone as a usage error (exit 2)", async () => {
    const asked = await run(['audit', '--help']);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/^Usage: warden audit <command> \[flags\]\n/);
    expect(asked.stdout).toMatch(/^ {2}query \[options\] +read the audit trail: a finding, a resource/m);
    expect(asked.stdout).toMatch(/^ {2}verify \[options\] +walk the audit trail's hash chains/m);
    const bare = await run(['audit']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('query [options]');
  });

  it('suggests the command a typo meant, and the flag', async () => {
    expect(await run(['simulat'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^warden: unknown command 'simulat' \(did you mean 'simulate'\?\)\n\nUsage: warden <command>/),
    });
    expect(await run(['audit', 'querry'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^warden audit: unknown command 'querry' \(did you mean 'query'\?\)\n\nUsage: warden audit <command>/),
    });
    expect(await run(['checks', '--jsn'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "warden checks: unknown option '--jsn' (did you mean '--json'?) (usage: 'warden checks --help')\n",
    });
    expect(await run(['scan', '--region'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "warden scan: option '--region <r>' argument missing (usage: 'warden scan --help')\n",
    });
    expect(await run(['checks', 'extra'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^warden checks: too many arguments/) });
  });

  it.each(COMMANDS.map((command) => [command.name, command.name, command] as const))(
    "'%s --help' and 'help %s' list every flag it declares, with its description, examples and exit codes",
    async (name, _again, command) => {
      const asked = await run([...name.split(' '), '--help']);
      expect(asked.code).toBe(0);
      expect(asked.stdout.startsWith(`Usage: warden ${name} ${command.usage.split('\n')[0] ?? ''}`)).toBe(true);
      for (const [flag, declared] of Object.entries(command.flags)) {
        expect(asked.stdout).toContain(declared.type === 'boolean' ? `--${flag}` : `--${flag} ${declared.value ?? '<value>'}`);
        expect(asked.stdout.replace(/\s+/g, ' ')).toContain(declared.description.replace(/\s+/g, ' '));
      }
      expect(asked.stdout).toContain(`Examples:\n  ${command.examples[0] ?? ''}`);
      expect(asked.stdout.replace(/\s+/g, ' ')).toContain(`Exit codes: ${command.exitCodes.replace(/\s+/g, ' ')}`);
      const viaHelp = await run(['help', ...name.split(' ')]);
      expect(viaHelp.stdout).toBe(asked.stdout);
    },
  );

  it('shows the overview with --help (exit 0), and alone as a usage error (exit 2)', async () => {
    const asked = await run(['--help']);
    expect(asked.code).toBe(0);
    for (const command of COMMANDS) expect(asked.stdout).toContain(command.name.split(' ')[0]);
    expect(asked.stdout).toContain('Exit codes: 0 ok, 1 findings or invalid input, 2 usage or AWS configuration error, 3 AWS access error.');
    expect(await run([])).toEqual({ code: 2, stdout: asked.stdout, stderr: '' });
  });

  it('lists every check with severity, default mode, triggers and permissions, as text and as JSON', async () => {
    const json = await run(['checks', '--json']);
    expect(json.code).toBe(0);
    const checks = JSON.parse(json.stdout) as {
      id: string;
      severity: string;
      defaultMode: string;
      triggers: object;
      permissions: { detect: unknown[] };
    }[];
    expect(checks.map((check) => check.id)).toEqual(CHECK_IDS);
    expect(checks.find((check) => check.id === 'lambda-function-public-access')).toMatchObject({
      severity: 'critical',
      defaultMode: 'approval',
      triggers: {
        cloudTrail: [{ eventSource: 'lambda.amazonaws.com', eventNames: ['AddPermission20150331v2'] }],
        config: 'AWS::Lambda::Function',
        sweep: 'daily',
      },
      permissions: { detect: expect.arrayContaining([{ actions: ['lambda:GetPolicy', 'lambda:ListTags'], resources: [expect.any(String)] }]) },
    });
    const text = await run(['checks']);
    expect(text.stdout).toMatch(/^lambda-function-public-access {2}critical, approval by default, AWS::Lambda::Function$/m);
    expect(text.stdout.trimEnd().endsWith(`${CHECK_IDS.length} checks`)).toBe(true);
  });
});

// The machine's own Node when it is older than 24 (Node 20 on these machines), as a new user runs the binary
// before `npm ci` puts Node 24 first on PATH; elsewhere, Node 24 told by a preload that it is 20.
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find(
  (path) => existsSync(path) && Number(spawnSync(path, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) < 24,
);
const OLD_NODE_SHIM = join(__dirname, '..', '..', 'fixtures', 'cli', 'pretend-node-20.cjs');

it('on a Node older than 24, the binary says in one line what it needs and how to run it, and exits 2', () => {
  const [node, ...preload] = systemNode ? [systemNode] : [process.execPath, '--require', OLD_NODE_SHIM];
  const result = spawnSync(node ?? 'node', [...preload, join(ROOT, 'bin', 'warden.js'), '--version'], { encoding: 'utf8' });
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(
    /^warden: needs Node\.js 24 or later, and this is v20\.\d+\.\d+: after 'npm ci', run 'npx warden …' or 'npm run warden -- …', which use the project's Node 24\n$/,
  );
});
