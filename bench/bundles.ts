import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..');

export interface FunctionBench {
  /** `detector-<check>`, `slack-notifier`…: the construct's name in kebab case. */
  readonly name: string;
  /** The bundle directory as `cdk synth` wrote it, zipped as CDK zips it (deflate), in bytes. */
  readonly zipBytes: number;
  /** index.js alone, minified. */
  readonly bundleBytes: number;
  /** Median cold initialisation (require of the bundle in a fresh Node process), milliseconds. */
  readonly initMs: number;
  /** The same for the fair baseline: the same AWS SDK clients plus Powertools logger, tracer and metrics. */
  readonly baselineInitMs: number;
  readonly initRatioToPowertoolsBaseline: number;
}

interface DeployedFunction {
  readonly name: string;
  readonly assetDir: string;
  readonly environment: Record<string, string>;
}

const synthesized = new Map<string, string>();

/** The policies the bench synthesizes: the team's (config/policy.yaml), and one of defaults only. */
export type BenchPolicy = 'config' | 'defaults';
const POLICY_CONTEXT: Record<BenchPolicy, { variable: string; context: string[] }> = {
  config: { variable: 'WARDEN_CDK_OUT', context: [] },
  defaults: { variable: 'WARDEN_CDK_OUT_DEFAULTS', context: ['-c', `policy=${join(ROOT, 'test', 'fixtures', 'policy', 'defaults.yaml')}`] },
};

/**
 * The cloud assembly `cdk synth` writes for a policy, once per bench run (WARDEN_CDK_OUT, or
 * WARDEN_CDK_OUT_DEFAULTS, reuses one): config/policy.yaml's, or a policy of defaults only.
 */
export function synthesize(policy: BenchPolicy = 'config'): string {
  const { variable, context } = POLICY_CONTEXT[policy];
  const existing = process.env[variable] ?? synthesized.get(policy);
  if (existing) return existing;
  const outdir = mkdtempSync(join(tmpdir(), `warden-bench-cdk-out-${policy}-`));
  execFileSync(join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', ...context, '--output', outdir], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  synthesized.set(policy, outdir);
  return outdir;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: { readonly Environment?: { readonly Variables?: Record<string, unknown> } };
  readonly Metadata?: Record<string, unknown>;
}

/** Every function Warden bundles, once per distinct asset (standalone and member deploy the same code). */
function deployedFunctions(assembly: string): DeployedFunction[] {
  const byAsset = new Map<string, DeployedFunction>();
  for (const file of readdirSync(assembly)
    .filter((name) => name.endsWith('.template.json'))
    .sort()) {
    const template = JSON.parse(readFileSync(join(assembly, file), 'utf8')) as { Resources: Record<string, TemplateResource> };
    for (const resource of Object.values(template.Resources)) {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (resource.Type !== 'AWS::Lambda::Function' || typeof assetPath !== 'string' || resource.Metadata?.['aws:asset:is-bundled'] !== true)
        continue;
      const path = String(resource.Metadata['aws:cdk:path']);
      const name = (/([^/]+)\/Function\/Resource$/.exec(path)?.[1] ?? path).replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
      const variables = resource.Properties?.Environment?.Variables ?? {};
      // Deploy-time values (Refs, GetAtts) get a placeholder of the right kind.
      const environment = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [
          key,
          typeof value === 'string'
            ? value
            : key.endsWith('_ARN')
              ? 'arn:aws:states:us-east-1:111122223333:stateMachine:warden'
              : `bench-${key.toLowerCase()}`,
        ]),
      );
      if (!byAsset.has(assetPath)) byAsset.set(assetPath, { name, assetDir: join(assembly, assetPath), environment });
    }
  }
  return [...byAsset.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** What CDK uploads: the asset directory as a zip (deflate per file, plus zip's headers). */
function zipBytes(dir: string): number {
  let total = 22; // end of central directory
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const name = relative(dir, path).length;
        total += 30 + name + deflateRawSync(readFileSync(path), { level: 9 }).length + 46 + name;
      }
    }
  };
  walk(dir);
  return total;
}

/** The SDK client classes a bundle requires, found in the bundle itself: `@aws-sdk/client-sfn` → SFNClient. */
function sdkClients(bundle: string): { module: string; className: string }[] {
  const modules = [...new Set([...bundle.matchAll(/require\("(@aws-sdk\/client-[a-z0-9-]+)"\)/g)].map((match) => match[1] as string))].sort();
  return modules.map((module) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- which class a module exports, read at run time
    const exports = require(join(ROOT, 'node_modules', module)) as Record<string, unknown>;
    const className = Object.keys(exports).find((key) => /^[A-Z][A-Za-z0-9]*Client$/.test(key) && key !== 'Client' && !key.startsWith('__'));
    if (!className) throw new Error(`no client class in ${module}`);
    return { module, className };
  });
}

/** The fair baseline's source: the same clients, traced, plus Powertools' logger, tracer and metrics. */
function baselineSource(clients: readonly { module: string; className: string }[]): string {
  return [
    "import { Logger } from '@aws-lambda-powertools/logger';",
    "import { Metrics } from '@aws-lambda-powertools/metrics';",
    "import { Tracer } from '@aws-lambda-powertools/tracer';",
    ...clients.map((client, i) => `import { ${client.className} as C${i} } from '${client.module}';`),
    "const logger = new Logger({ serviceName: 'baseline' });",
    "const metrics = new Metrics({ namespace: 'Warden', serviceName: 'baseline' });",
    "const tracer = new Tracer({ serviceName: 'baseline' });",
    `const clients = [${clients.map((_, i) => `tracer.captureAWSv3Client(new C${i}({ region: process.env.AWS_REGION }))`).join(', ')}];`,
    'export const handler = async () => { logger.info("ok"); metrics.publishStoredMetrics(); return clients.length; };',
    '',
  ].join('\n');
}

/** Built as the stacks build a function (stacks/constructs/warden-function.ts), SDK external. */
function buildBaseline(source: string, outdir: string): void {
  mkdirSync(outdir, { recursive: true });
  const entry = join(outdir, 'baseline.ts');
  writeFileSync(entry, source);
  buildSync({
    entryPoints: [entry],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'silent',
  });
}

const BASE_ENV = {
  ...process.env,
  // Resolves the external AWS SDK from the project, standing in for the runtime's copy.
  NODE_PATH: join(ROOT, 'node_modules'),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
};

/** Milliseconds to require index.js, measured inside a fresh node process with the function's environment. */
function coldInit(dir: string, environment: Record<string, string>): number {
  const script = `const t=performance.now();require(${JSON.stringify(join(dir, 'index.js'))});process.stdout.write(String(performance.now()-t))`;
  const env = { ...BASE_ENV, ...environment };
  return Number(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Every function as `cdk synth` deploys it against its fair baseline, interleaved in one run: each
 * round starts every function and its baseline once, back to back, in alternating order. The ratio is
 * the median of the rounds' ratios, so a spell when the machine is slow weighs on both sides of a pair
 * alike instead of on whichever median it fell in; the times are the medians of `runs` processes each.
 */
export function benchBundles(runs = 21): FunctionBench[] {
  const functions = deployedFunctions(synthesize());
  const scratch = mkdtempSync(join(tmpdir(), 'warden-bench-baseline-'));
  const measured = functions.map((fn, index) => {
    const bundle = readFileSync(join(fn.assetDir, 'index.js'), 'utf8');
    const baselineDir = join(scratch, String(index));
    buildBaseline(baselineSource(sdkClients(bundle)), baselineDir);
    return { fn, bundleBytes: Buffer.byteLength(bundle), baselineDir, own: [] as number[], base: [] as number[] };
  });
  for (let run = 0; run < runs; run += 1) {
    for (const entry of measured) {
      const own = () => entry.own.push(coldInit(entry.fn.assetDir, entry.fn.environment));
      const base = () => entry.base.push(coldInit(entry.baselineDir, entry.fn.environment));
      if (run % 2 === 0) {
        own();
        base();
      } else {
        base();
        own();
      }
    }
  }
  return measured.map(({ fn, bundleBytes, own, base }) => ({
    name: fn.name,
    zipBytes: zipBytes(fn.assetDir),
    bundleBytes,
    initMs: median(own),
    baselineInitMs: median(base),
    initRatioToPowertoolsBaseline: median(own.map((ms, round) => ms / (base[round] ?? ms))),
  }));
}
