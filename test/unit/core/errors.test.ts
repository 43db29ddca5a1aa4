import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WardenError } from '../../../core/errors';

const ROOT = join(__dirname, '../../..');
const SOURCE_DIRS = ['bin', 'cli', 'core', 'detectors', 'functions', 'remediators', 'stacks', 'statemachines'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('error names', () => {
  it('WardenError reports its own name, not one derived from the (minifiable) class', () => {
    expect(new WardenError('x').name).toBe('WardenError');
  });

  it('every error class in the source declares its own literal name', () => {
    const problems: string[] = [];
    for (const file of SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(
        /class (\w+) extends \w+Error \{\n {2}override name(?:: string)? = ([^;]+);|class (\w+) extends \w+Error \{/g,
      )) {
        const [, declared, value, bare] = match;
        if (bare) {
          problems.push(`${relative(ROOT, file)}: ${bare} has no literal name`);
          continue;
        }
        const literal = value?.startsWith("'") ? value.slice(1, -1) : new RegExp(`const ${value} = '([^']+)'`).exec(text)?.[1];
        if (literal !== declared) problems.push(`${relative(ROOT, file)}: ${declared} is named ${literal ?? value}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
