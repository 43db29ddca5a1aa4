import { shannonEntropy } from './entropy';
import { KeywordIndex } from './keyword-index';
import type { KeywordRules } from './prefilter';

/**
 * gitleaks' maintained rule list (MIT, Copyright (c) 2019 Zachary Rice), converted from its
 * config/gitleaks.toml by scripts/import-gitleaks-rules.ts, judged the way gitleaks judges a finding:
 * keywords first (in the scanner's prefilter), then the pattern, the secret group, the entropy floor, and the global and the rule's
 * allowlists. The list loads on first use and each pattern compiles on first use, so a cold start
 * pays nothing for them.
 */
interface ImportedPattern {
  readonly pattern: string;
  readonly flags: string;
}

interface ImportedAllowlist {
  readonly target?: string;
  readonly condition?: string;
  readonly regexes?: readonly ImportedPattern[];
  readonly stopwords?: readonly string[];
}

interface ImportedRule extends ImportedPattern {
  readonly id: string;
  readonly keywords: readonly string[];
  readonly entropy?: number;
  readonly secretGroup?: number;
  readonly allowlists?: readonly ImportedAllowlist[];
}

interface Allowlist {
  readonly target: 'secret' | 'match' | 'line';
  readonly all: boolean;
  readonly regexes: readonly RegExp[];
  readonly stopwords?: KeywordIndex;
}

interface CompiledRule {
  readonly pattern: RegExp;
  /**
   * For a pattern that opens with a lazy bounded prefix (`[\w.-]{0,50}?`, 101 of gitleaks' rules):
   * the pattern without it, and the prefix's longest reach. See `matchesOf`.
   */
  readonly tail?: { readonly pattern: RegExp; readonly reach: number };
  readonly allowlists: readonly Allowlist[];
}

const LAZY_PREFIX = /^\[\\w\.-\]\{0,(\d+)\}\?/;

/** The caller's say: rules not to run at all, and findings to veto (placeholders, ignored rules). */
export interface GitleaksJudge {
  readonly skip: (ruleId: string) => boolean;
  readonly accept: (ruleId: string, secret: string) => boolean;
}

/** What a gitleaks rule found: the rule and the secret part of the match (the caller keeps it inside). */
export interface GitleaksHit {
  readonly ruleId: string;
  readonly secret: string;
}

interface ImportedRules {
  readonly rules: readonly ImportedRule[];
  readonly allowlist: ImportedAllowlist;
}

let imported: ImportedRules | undefined;
function ruleList(): ImportedRules {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  imported ??= require('./rules/gitleaks-rules.json') as ImportedRules;
  return imported;
}

let ranked: (KeywordRules & { readonly byRank: readonly number[] }) | undefined;
let globalAllowlist: Allowlist | undefined;
const compiled = new Map<number, CompiledRule>();

function allowlistOf(list: ImportedAllowlist): Allowlist {
  return {
    target: list.target === 'match' || list.target === 'line' ? list.target : 'secret',
    all: list.condition === 'and',
    regexes: (list.regexes ?? []).map((regex) => new RegExp(regex.pattern, regex.flags)),
    ...(list.stopwords?.length ? { stopwords: new KeywordIndex(list.stopwords) } : {}),
  };
}

/**
 * The rules' keywords for the scanner's prefilter. Rules are numbered by precedence (vendor rules
 * before generic ones, so a finding names the most specific rule; else gitleaks' order).
 */
export function gitleaksKeywordRules(): KeywordRules & { readonly byRank: readonly number[] } {
  if (!ranked) {
    const rules = ruleList().rules;
    const byRank = rules
      .map((_, ruleIndex) => ruleIndex)
      .sort((a, b) => Number(isGeneric(rules[a] as ImportedRule)) - Number(isGeneric(rules[b] as ImportedRule)) || a - b);
    const keywords: string[] = [];
    const rulesOf: number[][] = [];
    const position = new Map<string, number>();
    const unconditional: number[] = [];
    byRank.forEach((ruleIndex, rank) => {
      const rule = rules[ruleIndex] as ImportedRule;
      if (rule.keywords.length === 0) unconditional.push(rank);
      for (const keyword of rule.keywords) {
        let at = position.get(keyword);
        if (at === undefined) {
          at = keywords.push(keyword) - 1;
          position.set(keyword, at);
          rulesOf.push([]);
        }
        (rulesOf[at] as number[]).push(rank);
      }
    });
    ranked = { keywords, rulesOf, unconditional, byRank };
  }
  return ranked;
}

function ruleAt(ruleIndex: number): CompiledRule {
  let rule = compiled.get(ruleIndex);
  if (!rule) {
    const source = ruleList().rules[ruleIndex] as ImportedRule;
    const prefix = LAZY_PREFIX.exec(source.pattern);
    rule = {
      pattern: new RegExp(source.pattern, `${source.flags}g`),
      ...(prefix ? { tail: { pattern: new RegExp(source.pattern.slice(prefix[0].length), `${source.flags}g`), reach: Number(prefix[1]) } } : {}),
      allowlists: (source.allowlists ?? []).map(allowlistOf),
    };
    compiled.set(ruleIndex, rule);
  }
  return rule;
}

/**
 * The rule's matches in `line`, exactly as `line.matchAll(rule.pattern)` gives them, but fast. A lazy
 * prefix makes the engine try up to `reach` extensions at every position of a long value. A match with
 * the prefix is a match of the tail that starts at most `reach` characters after it, so the tail
 * (cheap) finds where the next match can be, and the whole pattern is tried from `reach` before it.
 */
function* matchesOf(rule: CompiledRule, line: string): Generator<RegExpExecArray> {
  if (!rule.tail) {
    yield* line.matchAll(rule.pattern);
    return;
  }
  let from = 0;
  while (from <= line.length) {
    rule.tail.pattern.lastIndex = from;
    const anchor = rule.tail.pattern.exec(line);
    if (!anchor) return;
    rule.pattern.lastIndex = Math.max(from, anchor.index - rule.tail.reach);
    const match = rule.pattern.exec(line);
    if (!match) return;
    yield match;
    from = match.index + Math.max(1, match[0].length);
  }
}

/** Whether an allowlist excuses a finding: any of its checks, or all of them (`condition = "AND"`). */
/** The pattern matches of one rule, by id, through the fast path (for the equivalence test). */
export function gitleaksMatches(ruleId: string, line: string): string[] {
  const ruleIndex = ruleList().rules.findIndex((rule) => rule.id === ruleId);
  if (ruleIndex < 0) throw new Error(`no gitleaks rule ${ruleId}`);
  return [...matchesOf(ruleAt(ruleIndex), line)].map((match) => `${match.index}:${match.join('\u0000')}`);
}

/** gitleaks' rules as imported: id, pattern and flags (for the equivalence test). */
export function gitleaksPatterns(): readonly { readonly id: string; readonly pattern: string; readonly flags: string }[] {
  return ruleList().rules;
}

function allowed(list: Allowlist, secret: string, match: string, line: string): boolean {
  const target = list.target === 'match' ? match : list.target === 'line' ? line : secret;
  const hasRegexes = list.regexes.length > 0;
  if (list.all) {
    if (!hasRegexes && !list.stopwords) return false;
    return (!hasRegexes || list.regexes.some((regex) => regex.test(target))) && (!list.stopwords || list.stopwords.containsAny(secret));
  }
  return (list.stopwords?.containsAny(secret) ?? false) || (hasRegexes && list.regexes.some((regex) => regex.test(target)));
}

const isGeneric = (rule: ImportedRule) => rule.id.startsWith('generic');

function secretOf(rule: ImportedRule, groups: RegExpExecArray): string | undefined {
  if (groups.length < 2) return groups[0];
  if (rule.secretGroup) return groups[rule.secretGroup];
  return groups.slice(1).find((group) => group !== undefined && group.length > 0) ?? groups[0];
}

/**
 * The first gitleaks rule among `candidates` (the prefilter's, in rank order) whose pattern, entropy
 * and allowlists all say `line` holds a secret, and that the caller's judge does not veto.
 */
export function gitleaksHit(line: string, candidates: readonly number[], judge: GitleaksJudge): GitleaksHit | undefined {
  const { byRank } = gitleaksKeywordRules();
  const { rules, allowlist } = ruleList();
  globalAllowlist ??= allowlistOf(allowlist);
  for (const rank of candidates) {
    const ruleIndex = byRank[rank] as number;
    const source = rules[ruleIndex] as ImportedRule;
    if (judge.skip(source.id)) continue;
    const rule = ruleAt(ruleIndex);
    for (const match of matchesOf(rule, line)) {
      const secret = secretOf(source, match);
      if (!secret) continue;
      if (source.entropy && shannonEntropy(secret) <= source.entropy) continue;
      if (allowed(globalAllowlist, secret, match[0], line)) continue;
      if (rule.allowlists.some((list) => allowed(list, secret, match[0], line))) continue;
      if (judge.accept(source.id, secret)) return { ruleId: source.id, secret };
    }
  }
  return undefined;
}
