import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CATALOGUE } from '../../../../core/catalogue';

/*
 * A check lives in three places, one per layer: core/catalogue/<id>, detectors/<id> and remediators/<id>
 * (each a file or a folder), plus its line in the registry, core/catalogue/index.ts. No other source file
 * names a check: stacks, workflow, CLI, bench and Lambda entries derive everything from the registry.
 * Tests, fixtures, docs, examples and the default policy may name checks.
 */

const ROOT = join(__dirname, '..', '..', '..', '..');
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.generated', 'cdk.out', 'coverage', 'test', 'examples', 'config', 'scratch', '.warden']);
const SOURCE = /\.(ts|js|cjs|mjs)$/;

function sourceFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIPPED_DIRS.has(name) ? [] : sourceFiles(path);
    return SOURCE.test(name) ? [relative(ROOT, path).split(sep).join('/')] : [];
  });
}

const placesOf = (id: string) => [`core/catalogue/${id}`, `detectors/${id}`, `remediators/${id}`];
const isPlaceOf = (file: string, id: string) => placesOf(id).some((place) => file === `${place}.ts` || file.startsWith(`${place}/`));

describe('a check lives in its three places and the registry, and nowhere else', () => {
  const files = sourceFiles();

  it('finds the source tree', () => {
    expect(files).toEqual(expect.arrayContaining(['core/catalogue/index.ts', 'stacks/constructs/warden-member.ts', 'functions/detector-handler.ts']));
  });

  it.each(CATALOGUE.map((check) => [check.id]))('%s is named only in its own places and the registry', (id) => {
    const naming = files.filter((file) => readFileSync(join(ROOT, file), 'utf8').includes(id));
    expect(naming.filter((file) => file !== 'core/catalogue/index.ts' && !isPlaceOf(file, id))).toEqual([]);
  });

  it.each(CATALOGUE.map((check) => [check.id]))('%s has a place in each layer', (id) => {
    for (const place of placesOf(id)) expect(files.some((file) => file === `${place}.ts` || file.startsWith(`${place}/`))).toBe(true);
  });
});
