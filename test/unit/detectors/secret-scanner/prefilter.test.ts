import independent from '../../../fixtures/secret-corpus-independent/corpus.json';
import regression from '../../../fixtures/secret-corpus/corpus.json';
import { gitleaksMatches, gitleaksPatterns } from '../../../../detectors/secret-scanner/gitleaks-rules';
import { Prefilter } from '../../../../detectors/secret-scanner/prefilter';

describe('the prefilter shared by the rule sets', () => {
  const prefilter = new Prefilter([
    { keywords: ['xox', 'hooks.slack.com'], rulesOf: [[0, 1], [1]], unconditional: [] },
    { keywords: ['XOX', 'key'], rulesOf: [[2], [0, 2]], unconditional: [3] },
  ]);

  it('answers, per rule set, the rules its keywords admit, each once and in order, with the unconditional ones', () => {
    expect(prefilter.candidates('SLACK_KEY=xoxb-1 https://hooks.slack.com/x')).toEqual([
      [0, 1],
      [0, 2, 3],
    ]);
    expect(prefilter.candidates('STAGE=prod')).toEqual([[], [3]]);
  });
});

describe("gitleaks' patterns through the fast path", () => {
  // The fast path finds where a lazily prefixed pattern can match from its tail; it must give exactly
  // what the whole pattern gives, match for match, groups included.
  const lines = [...independent.entries, ...regression].map((entry) => `${entry.name}=${entry.value}`);
  const prefixed = gitleaksPatterns().filter((rule) => rule.pattern.startsWith('[\\w.-]{0,'));

  it('covers the rules that open with a lazy prefix', () => {
    expect(prefixed.length).toBeGreaterThan(50);
  });

  it.each(prefixed.map((rule) => [rule.id, rule] as const))('%s matches as its whole pattern does', (_id, rule) => {
    const whole = new RegExp(rule.pattern, `${rule.flags}g`);
    for (const line of [...lines, `${rule.id.toUpperCase().replace(/-/g, '_')}_KEY=abc123DEF456ghi789 token: "x1y2z3w4v5u6t7s8"`]) {
      const expected = [...line.matchAll(whole)].map((match) => `${match.index}:${match.join('\u0000')}`);
      expect([line, gitleaksMatches(rule.id, line)]).toEqual([line, expected]);
    }
  });
});
