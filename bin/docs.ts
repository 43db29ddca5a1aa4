import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPolicyReference } from '../core/docs/policy-reference';

/** Regenerates the README's policy reference from the check catalogue. */
const file = join(__dirname, '..', 'README.md');
writeFileSync(file, withPolicyReference(readFileSync(file, 'utf8')));
