import { WardenError } from '../errors';

/** An EventBridge event pattern: field names map to nested patterns or to arrays of matchers. */
export type EventPattern = { readonly [field: string]: EventPattern | readonly Matcher[] | readonly EventPattern[] };
export type Matcher = string | number | boolean | null | { readonly [kind: string]: unknown };

export class EventPatternError extends WardenError {
  override name = 'EventPatternError';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const flatten = (value: unknown): unknown[] => (Array.isArray(value) ? value.flatMap(flatten) : [value]);

function wildcardRegExp(pattern: string, flags = ''): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (char === '\\' && pattern[index + 1] === '*') {
      source += '\\*';
      index += 1;
    } else if (char === '*') source += '.*';
    else source += char.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, flags);
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.reduce((total, part) => total * 256 + Number(part), 0);
}

function cidrMatches(cidr: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [network = '', bits = '32'] = cidr.split('/');
  const base = ipv4ToNumber(network);
  const ip = ipv4ToNumber(value);
  if (base === undefined || ip === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ip / size) === Math.floor(base / size);
}

function numericMatches(conditions: readonly unknown[], value: unknown): boolean {
  if (typeof value !== 'number') return false;
  for (let index = 0; index < conditions.length; index += 2) {
    const operator = conditions[index];
    const operand = conditions[index + 1] as number;
    const ok =
      operator === '='
        ? value === operand
        : operator === '<'
          ? value < operand
          : operator === '<='
            ? value <= operand
            : operator === '>'
              ? value > operand
              : operator === '>='
                ? value >= operand
                : undefined;
    if (ok === undefined) throw new EventPatternError(`unknown numeric operator ${String(operator)}`);
    if (!ok) return false;
  }
  return true;
}

/** `prefix`, `suffix`, `equals-ignore-case`, `wildcard` on one string value, optionally case-insensitive. */
function stringOperation(kind: string, operand: unknown, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string') {
    const expected = operand['equals-ignore-case'].toLowerCase();
    const actual = value.toLowerCase();
    return kind === 'prefix' ? actual.startsWith(expected) : kind === 'suffix' ? actual.endsWith(expected) : actual === expected;
  }
  if (typeof operand !== 'string') throw new EventPatternError(`${kind} expects a string`);
  if (kind === 'prefix') return value.startsWith(operand);
  if (kind === 'suffix') return value.endsWith(operand);
  if (kind === 'equals-ignore-case') return value.toLowerCase() === operand.toLowerCase();
  if (kind === 'wildcard') return wildcardRegExp(operand).test(value);
  throw new EventPatternError(`unknown string operation ${kind}`);
}

function anythingBut(operand: unknown, value: unknown): boolean {
  if (isObject(operand)) {
    const [kind, inner] = Object.entries(operand)[0] ?? [];
    if (!kind) throw new EventPatternError('anything-but needs an operand');
    const candidates = Array.isArray(inner) ? inner : [inner];
    return typeof value === 'string' && !candidates.some((candidate) => stringOperation(kind, candidate, value));
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  return !excluded.some((candidate) => candidate === value);
}

function matchOne(matcher: Matcher, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [kind, operand] = Object.entries(matcher)[0] ?? [];
  switch (kind) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      return stringOperation(kind, operand, value);
    case 'anything-but':
      return anythingBut(operand, value);
    case 'numeric':
      return numericMatches(operand as unknown[], value);
    case 'cidr':
      return cidrMatches(String(operand), value);
    default:
      throw new EventPatternError(`unknown matcher ${String(kind)}`);
  }
}

function matchLeaf(matchers: readonly Matcher[], values: readonly unknown[], present: boolean): boolean {
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) return matcher['exists'] === present;
    return present && values.some((value) => matchOne(matcher, value));
  });
}

/** Matches the candidate nodes at one level; arrays in the event are flattened as EventBridge does. */
function matchLevel(pattern: EventPattern, nodes: readonly unknown[]): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(sub as readonly EventPattern[]).some((alternative) => matchLevel(alternative, nodes))) return false;
      continue;
    }
    const holders = nodes.filter((node): node is Record<string, unknown> => isObject(node) && key in node);
    const children = holders.flatMap((node) => flatten(node[key]));
    if (Array.isArray(sub)) {
      const present = holders.some((node) => !Array.isArray(node[key]) || (node[key] as unknown[]).length > 0);
      if (!matchLeaf(sub as readonly Matcher[], children, present)) return false;
    } else if (!matchLevel(sub as EventPattern, children)) return false;
  }
  return true;
}

/** Whether EventBridge would deliver `event` to a rule with `pattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchLevel(pattern, [event]);
}
