import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPolicyReference } from '../core/docs/policy-reference';
import { withScanPermissions } from '../core/docs/scan-permissions';

/** Regenerates the README's policy reference and scan permissions from the check catalogue. */
const file = join(__dirname, '..', 'README.md');
writeFileSync(file, withScanPermissions(withPolicyReference(readFileSync(file, 'utf8'))));
