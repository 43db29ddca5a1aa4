import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';
import { CATALOGUE } from '../core/catalogue';
import { loadPolicyFile } from '../core/policy/parse-policy';
import { writeCheckEntry } from '../stacks/constructs/check-entries';

const ROOT = join(__dirname, '..');

export interface BundleBench {
  readonly function: string;
  /** Minified bundle as deployed (the AWS SDK comes from the runtime). */
  readonly bytes: number;
  /** Median cold initialisation (require of the bundle in a fresh process), milliseconds. */
  readonly initMs: number;
  readonly baselineInitMs: number;
  /** initMs / baselineInitMs: what Warden's code adds on top of the SDK clients it needs. */
  readonly ratio: number;
}

/** Every Lambda entry under functions/, as the stacks bundle them. */
function entries(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && /export (const|async function) handler/.test(readFileSync(path, 'utf8'))) found.push(path);
    }
  };
  walk(join(ROOT, 'functions'));
  // Each check's detector and remediator entries, generated from its catalogue entry as `cdk synth` does.
  for (const check of CATALOGUE) for (const role of ['detector', 'remediator'] as const) found.push(writeCheckEntry(check, role));
  return found.sort();
}

/** The AWS SDK clients an entry constructs, directly or through its handler factory. */
function sdkClients(entry: string): string[] {
  const text = readFileSync(entry, 'utf8');
  const direct = [...text.matchAll(/import \{ ([A-Za-z0-9]+Client) \} from '(@aws-sdk\/client-[a-z0-9-]+)'/g)].map(
    (match) => `${match[2]}#${match[1]}`,
  );
  if (/\/detector-[^/]+\.ts$/.test(entry)) direct.push('@aws-sdk/client-sfn#SFNClient', '@aws-sdk/client-dynamodb#DynamoDBClient');
  // A remediator keeps each fix's undo in the counters table (remediators/applied-fixes.ts).
  if (/\/remediator-[^/]+\.ts$/.test(entry)) direct.push('@aws-sdk/client-dynamodb#DynamoDBClient');
  if (text.includes("from './hub-clients'")) {
    direct.push('@aws-sdk/client-dynamodb#DynamoDBClient', '@aws-sdk/client-secrets-manager#SecretsManagerClient', '@aws-sdk/client-sts#STSClient');
  }
  return [...new Set(direct)];
}

function bundle(entry: string, outfile: string, define: Record<string, string>): number {
  // As the stacks bundle them: the AWS SDK is external (the nodejs24.x runtime provides it).
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    define,
    logLevel: 'silent',
  });
  return statSync(outfile).size;
}

const ENV = {
  ...process.env,
  // Resolves the external AWS SDK from the project, standing in for the runtime's copy.
  NODE_PATH: join(ROOT, 'node_modules'),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  WARDEN_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111122223333:stateMachine:warden-remediation',
  WARDEN_AUDIT_TABLE: 'warden-audit',
  WARDEN_APPROVALS_TABLE: 'warden-approvals',
  WARDEN_COUNTER_TABLE: 'warden-counters',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
};

/** Milliseconds to require the bundle, measured inside a fresh node process. */
function coldInit(file: string): number {
  const script = `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`;
  return Number(execFileSync(process.execPath, ['-e', script], { env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Bundle size and cold-start ratio per function against an SDK-only baseline, side by side in one run. */
export function benchBundles(runs = 11): BundleBench[] {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const policy = loadPolicyFile(join(ROOT, 'config/policy.yaml')).policy;
  const define = { 'process.env.WARDEN_POLICY_JSON': JSON.stringify(JSON.stringify(policy)) };
  return entries().map((entry, index) => {
    const name = relative(entry.startsWith(join(ROOT, 'functions')) ? join(ROOT, 'functions') : join(ROOT, '.generated', 'functions'), entry).replace(
      /\.ts$/,
      '',
    );
    const out = join(dir, `fn-${index}.js`);
    const baselineSource = join(dir, `baseline-${index}.ts`);
    const clients = sdkClients(entry);
    writeFileSync(
      baselineSource,
      `${clients.map((client, i) => `import { ${client.split('#')[1]} as C${i} } from '${client.split('#')[0] ?? ''}';`).join('\n')}\nexport const clients = [${clients.map((_, i) => `new C${i}({ region: process.env.AWS_REGION })`).join(', ')}];\nexport const handler = async () => clients.length;\n`,
    );
    const baselineOut = join(dir, `baseline-${index}.js`);
    const bytes = bundle(entry, out, define);
    bundle(baselineSource, baselineOut, {});
    const own: number[] = [];
    const base: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      own.push(coldInit(out));
      base.push(coldInit(baselineOut));
    }
    const initMs = median(own);
    const baselineInitMs = median(base);
    return { function: name, bytes, initMs, baselineInitMs, ratio: initMs / baselineInitMs };
  });
}
