import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE } from '../../../../core/catalogue';
import { withPolicyReference } from '../../../../core/docs/policy-reference';

describe('README policy reference', () => {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');

  it('is up to date with the catalogue (run `npm run docs` when this fails)', () => {
    expect(withPolicyReference(readme)).toBe(readme);
  });

  it('documents every check and every check setting', () => {
    for (const check of CATALOGUE) {
      expect(readme).toContain(`\`checks.${check.id}\``);
      for (const key of Object.keys(check.settings.shape)) expect(readme).toContain(`| \`${key}\` |`);
    }
  });
});
