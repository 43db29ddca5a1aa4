/**
 * Go RE2 patterns (as gitleaks writes them) to JavaScript: a leading `(?i)` becomes the `i` flag, a
 * mid-pattern `(?i)` becomes a modifier group to the end of its group, POSIX classes become ranges,
 * `(?P<name>` becomes `(?<name>`, and `\z`/`\A` become `$`/`^`. Needs a runtime with RegExp modifiers
 * (V8 12.5+: Node 24, the runtime Warden deploys).
 */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  digit: '0-9',
  xdigit: '0-9A-Fa-f',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  word: '\\w',
};

/** A Go RE2 pattern as a JavaScript source and flags. */
export function convertPattern(re2: string): { pattern: string; flags: string } {
  let source = re2
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^');
  source = source.replace(/\[:([a-z]+):\]/g, (whole, name: string) => {
    const range = POSIX_CLASSES[name];
    if (!range) throw new Error(`unknown POSIX class ${whole}`);
    return range;
  });
  let flags = '';
  if (source.startsWith('(?i)')) {
    flags = 'i';
    source = source.slice(4);
  }
  return { pattern: inlineFlagsToGroups(source), flags };
}

/** Go's mid-pattern `(?i)` applies to the rest of its group; JavaScript spells that `(?i:…)`. */
function inlineFlagsToGroups(source: string): string {
  let out = '';
  const closers: number[] = [0]; // extra ')' owed when each open group closes; [0] is the whole pattern
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i] as string;
    if (char === '\\') {
      out += source.slice(i, i + 2);
      i += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += char;
      if (source[i + 1] === ']') {
        out += ']';
        i += 1;
      }
      continue;
    }
    const flag = /^\(\?([a-z]+)\)/.exec(source.slice(i));
    if (flag) {
      out += `(?${flag[1] as string}:`;
      closers[closers.length - 1] = (closers[closers.length - 1] as number) + 1;
      i += flag[0].length - 1;
      continue;
    }
    if (char === '(') {
      closers.push(0);
      out += char;
      continue;
    }
    if (char === ')') {
      out += ')'.repeat(closers.pop() ?? 0);
      out += char;
      continue;
    }
    out += char;
  }
  return out + ')'.repeat(closers.pop() ?? 0);
}
