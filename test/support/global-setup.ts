import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS_POLICY } from './cloud-assembly';

const root = join(__dirname, '..', '..');

function synth(prefix: string, context: string[]): string {
  const outdir = mkdtempSync(join(tmpdir(), prefix));
  execFileSync(join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', ...context, '--output', outdir], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return outdir;
}

/**
 * Once per `npm test`: synthesize the app with the real `cdk synth` (cdk.json's context and all), so the
 * bundle, IAM, template and workflow layers test the cloud assembly that deploys, not an in-process
 * picture of it: config/policy.yaml's (WARDEN_CDK_OUT), and a policy of defaults only
 * (WARDEN_CDK_OUT_DEFAULTS), which is what a team that changes nothing deploys. Set both to reuse
 * assemblies you already have.
 */
// eslint-disable-next-line no-restricted-syntax -- jest's globalSetup contract is the module's default export
export default function globalSetup(): void {
  process.env['WARDEN_CDK_OUT'] ??= synth('warden-cdk-out-', []);
  process.env['WARDEN_CDK_OUT_DEFAULTS'] ??= synth('warden-cdk-out-defaults-', ['-c', `policy=${DEFAULTS_POLICY}`]);
}
