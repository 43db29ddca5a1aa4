import type * as z from 'zod';
import { didYouMean } from '../text/did-you-mean';
import type { PolicyPath } from './source-locator';

type Issue = z.core.$ZodIssue;

/** A schema problem reduced to what the user needs: where (path, and a key if the key is at fault) and what. */
export interface DescribedIssue {
  readonly path: PolicyPath;
  /** Set when the key itself is wrong (unknown key), so the position points at the key. */
  readonly key?: string;
  readonly message: string;
}

const DEFAULT_MESSAGE = /^Invalid input/;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

function valueAt(data: unknown, path: PolicyPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

/** A union branch that failed only because the value has another type altogether. */
function isTypeMismatch(issues: readonly Issue[]): boolean {
  return issues.every((issue) => issue.path.length === 0 && issue.code === 'invalid_type');
}

/**
 * Turns zod issues into located, specific messages. `allowedKeys` names the keys valid at a path, for
 * did-you-mean suggestions; `data` is the parsed document, to say what was found instead.
 */
export function describeIssues(
  issues: readonly Issue[],
  data: unknown,
  allowedKeys: (path: PolicyPath) => readonly string[],
  prefix: PolicyPath = [],
): DescribedIssue[] {
  return issues.flatMap((issue): DescribedIssue[] => {
    const path: PolicyPath = [...prefix, ...(issue.path as (string | number)[])];
    const found = valueAt(data, path);
    if (found === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value') && path.length > 0) {
      return [{ path, message: `missing required key "${String(path[path.length - 1])}"` }];
    }
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => {
          const allowed = allowedKeys(path);
          const suggestion = didYouMean(key, allowed);
          const hint = suggestion ? `; did you mean "${suggestion}"?` : allowed.length > 0 ? `; expected one of: ${allowed.join(', ')}` : '';
          return { path, key, message: `unknown key "${key}"${hint}` };
        });
      case 'invalid_type': {
        const expected = DEFAULT_MESSAGE.test(issue.message) ? `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}` : issue.message;
        const got = typeof found === 'number' ? String(found) : kindOf(found);
        return [{ path, message: `${expected}, got ${got}` }];
      }
      case 'invalid_value': {
        const values = issue.values.map((value) => String(value));
        const suggestion = typeof found === 'string' ? didYouMean(found, values) : undefined;
        const base = DEFAULT_MESSAGE.test(issue.message) ? `expected one of: ${values.join(', ')}` : issue.message;
        return [{ path, message: suggestion ? `${base}; did you mean "${suggestion}"?` : base }];
      }
      case 'invalid_union': {
        const sameType = issue.errors.filter((branch) => !isTypeMismatch(branch));
        if (sameType.length === 1 && sameType[0]) return describeIssues(sameType[0], data, allowedKeys, path);
        return [{ path, message: `${issue.message}, got ${kindOf(found)}` }];
      }
      case 'invalid_key':
        return describeIssues(issue.issues, data, allowedKeys, path).map((described) => ({
          ...described,
          key: String(path[path.length - 1]),
          path: path.slice(0, -1),
          message: `key "${String(path[path.length - 1])}": ${described.message}`,
        }));
      case 'invalid_element':
        return describeIssues(issue.issues, data, allowedKeys, path);
      case 'too_small':
      case 'too_big':
        return [
          {
            path,
            message: issue.message
              .replace(/^Too (small|big): expected /, 'expected ')
              .replace(/^expected (\w+) to be ([<>]=?)(\S+)$/, 'expected a $1 $2 $3')
              .replace(/^expected (\w+) to have ([<>]=?)(\d+) (\w+)$/, 'expected a $1 with $2 $3 $4'),
          },
        ];
      default:
        return [{ path, message: issue.message }];
    }
  });
}
