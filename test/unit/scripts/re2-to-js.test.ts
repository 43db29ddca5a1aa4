import { convertPattern } from '../../../scripts/re2-to-js';

describe('RE2 to JavaScript patterns', () => {
  it('turns a leading (?i) into the i flag', () => {
    expect(convertPattern('(?i)abc')).toEqual({ pattern: 'abc', flags: 'i' });
  });

  it('turns a mid-pattern (?i) into a modifier group that ends with its group', () => {
    const { pattern, flags } = convertPattern('\\b(p8e-(?i)[a-z0-9]{4})x');
    expect(pattern).toBe('\\b(p8e-(?i:[a-z0-9]{4}))x');
    const regex = new RegExp(pattern, flags);
    expect(regex.test('p8e-AB12x')).toBe(true);
    expect(regex.test('P8E-ab12x')).toBe(false);
    expect(regex.test('p8e-ab12X')).toBe(false);
  });

  it('converts POSIX classes, named groups and \\z', () => {
    expect(convertPattern('(?P<v>[[:alnum:]]{3})\\z').pattern).toBe('(?<v>[a-zA-Z0-9]{3})$');
  });

  it('leaves escaped parentheses and classes alone', () => {
    expect(convertPattern('\\((?i)a[)(]b\\)').pattern).toBe('\\((?i:a[)(]b\\))');
  });

  it('refuses a POSIX class it does not know', () => {
    expect(() => convertPattern('[[:graph:]]')).toThrow('unknown POSIX class');
  });
});
