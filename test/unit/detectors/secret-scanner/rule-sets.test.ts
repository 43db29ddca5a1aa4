import rules from '../../../../detectors/secret-scanner/rules/gitleaks-rules.json';
import { presetRuleIds, SECRETLINT_KEYWORDS, SECRETLINT_NOT_USED } from '../../../../detectors/secret-scanner/secretlint-rules';

describe('maintained rule sets', () => {
  it('gives every secretlint preset rule keywords, or says why it is not used', () => {
    const unaccounted = presetRuleIds().filter((id) => !SECRETLINT_KEYWORDS[id] && !SECRETLINT_NOT_USED.includes(id));
    expect(unaccounted).toEqual([]);
  });

  it('compiles every imported gitleaks pattern and allowlist, with its licence recorded', () => {
    expect(rules.source).toMatchObject({ project: 'gitleaks', licence: 'MIT', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(rules.rules.length).toBeGreaterThan(200);
    for (const rule of rules.rules) {
      expect(() => new RegExp(rule.pattern, `${rule.flags}g`)).not.toThrow();
      for (const list of rule.allowlists ?? [])
        for (const regex of list.regexes ?? []) expect(() => new RegExp(regex.pattern, regex.flags)).not.toThrow();
    }
  });
});
