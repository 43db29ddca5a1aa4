import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Once per `npm test`: synthesize the app with the real `cdk synth` (cdk.json's context and all), so the
 * bundle, IAM, template and workflow layers test the cloud assembly that deploys, not an in-process
 * picture of it. Set WARDEN_CDK_OUT to reuse an assembly you already have.
 */
// eslint-disable-next-line no-restricted-syntax -- jest's globalSetup contract is the module's default export
export default function globalSetup(): void {
  if (process.env['WARDEN_CDK_OUT']) return;
  const outdir = mkdtempSync(join(tmpdir(), 'warden-cdk-out-'));
  const root = join(__dirname, '..', '..');
  execFileSync(join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', outdir], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  process.env['WARDEN_CDK_OUT'] = outdir;
}
