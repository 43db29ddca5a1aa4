import { KeywordIndex } from '../../../../detectors/secret-scanner/keyword-index';

describe('keyword index', () => {
  const index = new KeywordIndex(['key', 'apikey', 'pi', 'sk_live_', 'xox']);

  it('finds every keyword, overlapping ones included, whatever the case', () => {
    expect([...index.matches('MY_APIKEY=1')].sort()).toEqual([0, 1, 2]);
    expect([...index.matches('STRIPE=SK_LIVE_abc')]).toEqual([3]);
  });

  it('finds nothing in a text without keywords, and restarts after non-ASCII characters', () => {
    expect(index.matches('STAGE=prod').size).toBe(0);
    expect(index.containsAny('xéox')).toBe(false);
    expect(index.containsAny('token=xoxb-1')).toBe(true);
  });
});
