import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_CLASSES, type ClientName } from '../../core/aws/client-config';
import type { Check } from '../../core/catalogue';

const ROOT = join(__dirname, '..', '..');
/** Where the entries are written at synth (git-ignored); the bundler reads them from here. */
export const GENERATED_ENTRIES = join(ROOT, '.generated', 'functions');

export type CheckRole = 'detector' | 'remediator';

function clientsSource(clients: readonly ClientName[]): { imports: string[]; object: string } {
  const imports = clients.map((name) => `import { ${CLIENT_CLASSES[name].className} } from '${CLIENT_CLASSES[name].module}';`);
  const object = `{ ${clients.map((name) => `${name}: new ${CLIENT_CLASSES[name].className}(config)`).join(', ')} }`;
  return { imports, object };
}

/**
 * The Lambda entry of one check's detector or remediator, from its catalogue entry alone: the SDK clients
 * it declares, its module under detectors/ or remediators/ (named by the check id), and the shared
 * handler. Nothing per check is written by hand, and no entry imports a client it does not use.
 */
export function checkEntrySource(check: Check, role: CheckRole): string {
  const { imports, object } = clientsSource(role === 'detector' ? check.clients.detect : check.clients.remediate);
  const header = [`// Generated at synth by stacks/constructs/check-entries.ts from the catalogue entry of ${check.id}. Do not edit.`, ...imports];
  const runtime = `import { lambdaClientConfig } from '../../functions/runtime';`;
  if (role === 'detector') {
    // Detection does not plan: the workflow's Plan state asks the remediator, so no fix code is bundled here.
    return [
      ...header,
      `import * as detectorModule from '../../detectors/${check.id}';`,
      `import { checkExport } from '../../core/catalogue/check-module';`,
      `import { detectorHandler } from '../../functions/detector-handler';`,
      runtime,
      '',
      'const config = lambdaClientConfig();',
      `export const handler = detectorHandler(checkExport(detectorModule, '${check.id}'), ${object});`,
      '',
    ].join('\n');
  }
  return [
    ...header,
    `import * as remediatorModule from '../../remediators/${check.id}';`,
    `import { checkExport } from '../../core/catalogue/check-module';`,
    `import { remediatorHandler } from '../../functions/remediator-handler';`,
    runtime,
    '',
    'const config = lambdaClientConfig();',
    `export const handler = remediatorHandler(checkExport(remediatorModule, '${check.id}'), ${object});`,
    '',
  ].join('\n');
}

/** Writes the entry (only when its content changed, so the bundler's inputs stay stable) and returns its path. */
export function writeCheckEntry(check: Check, role: CheckRole): string {
  mkdirSync(GENERATED_ENTRIES, { recursive: true });
  const path = join(GENERATED_ENTRIES, `${role}-${check.id}.ts`);
  const source = checkEntrySource(check, role);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== source) writeFileSync(path, source);
  return path;
}
