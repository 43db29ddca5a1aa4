import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SynthesizedFunction } from './cloud-assembly';

/*
 * Runs a bundle as `cdk synth` built it in a fresh Node process (the one running the tests: Node 24 from
 * the devDependency), as Lambda loads it: through bundle-runner.cjs.
 */

const RUNNER = join(__dirname, 'bundle-runner.cjs');
const ROOT = join(__dirname, '..', '..');

export interface BundleOutcome {
  readonly loaded: boolean;
  readonly handlerType?: string;
  readonly result?: unknown;
  readonly error?: { readonly name?: string; readonly message?: string };
  /** Everything else the process wrote (its structured logs), to check for leaked values. */
  readonly output?: string;
}

/**
 * What the nodejs24.x runtime provides besides the bundle: the AWS SDK v3 (the stacks mark it external).
 * Only @aws-sdk is on the path, so a dependency the bundler failed to include cannot be found here either.
 */
function lambdaRuntimeModules(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-runtime-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'node_modules', '@aws-sdk'), join(dir, 'node_modules', '@aws-sdk'));
  return join(dir, 'node_modules');
}
let runtimeModules: string | undefined;

export interface RunBundleOptions {
  /** AWS_ENDPOINT_URL for every client in the bundle. */
  readonly endpoint: string;
  readonly region: string;
  /** The function's environment, as the template sets it, with deploy-time values filled in. */
  readonly environment: Readonly<Record<string, string>>;
  /** Static credentials; the access key id tells a recording proxy which function called. */
  readonly accessKeyId?: string;
  /** Where Slack, Jira and GitHub calls go (saas-redirect.cjs). */
  readonly saas?: string;
  readonly event?: unknown;
  readonly context?: Readonly<Record<string, unknown>>;
}

export function runBundle(fn: SynthesizedFunction, options: RunBundleOptions): Promise<BundleOutcome> {
  runtimeModules ??= lambdaRuntimeModules();
  const [, exportName = 'handler'] = fn.handler.split('.');
  const event = options.event === undefined ? [] : [JSON.stringify(options.event), JSON.stringify(options.context ?? {})];
  const args = [RUNNER, fn.assetDir, exportName, ...event];
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && name !== 'NODE_OPTIONS' && !/_proxy$/i.test(name)),
  );
  const env = {
    ...clean,
    ...options.environment,
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: options.accessKeyId ?? 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'bundle-test-secret-key',
    AWS_ENDPOINT_URL: options.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    WARDEN_FAST_TIMERS: '1',
    NODE_PATH: runtimeModules,
    ...(options.saas ? { WARDEN_SAAS_REDIRECT: options.saas } : {}),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      const line = stdout.split('\n').find((entry) => entry.startsWith('BUNDLE-RESULT '));
      if (!line) return reject(new Error(`${fn.path} printed no result\n${stdout}\n${stderr}`));
      const output = `${stdout.replace(line, '')}\n${stderr}`;
      resolve({ ...(JSON.parse(line.slice('BUNDLE-RESULT '.length)) as BundleOutcome), output });
    });
  });
}
