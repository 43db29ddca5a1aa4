import { shannonEntropy } from './entropy';
import { KeywordIndex } from './keyword-index';

/**
 * gitleaks' maintained rule list (MIT, Copyright (c) 2019 Zachary Rice), converted from its
 * config/gitleaks.toml by scripts/import-gitleaks-rules.ts, judged the way gitleaks judges a finding:
 * keywords first, then the pattern, the secret group, the entropy floor, and the global and the rule's
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
  readonly allowlists: readonly Allowlist[];
}

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

let index: { keywords: KeywordIndex; rulesOf: readonly (readonly number[])[]; unconditional: readonly number[] } | undefined;
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

function keywordIndex() {
  if (!index) {
    const keywords: string[] = [];
    const rulesOf: number[][] = [];
    const position = new Map<string, number>();
    const unconditional: number[] = [];
    ruleList().rules.forEach((rule, ruleIndex) => {
      if (rule.keywords.length === 0) unconditional.push(ruleIndex);
      for (const keyword of rule.keywords) {
        let at = position.get(keyword);
        if (at === undefined) {
          at = keywords.push(keyword) - 1;
          position.set(keyword, at);
          rulesOf.push([]);
        }
        (rulesOf[at] as number[]).push(ruleIndex);
      }
    });
    index = { keywords: new KeywordIndex(keywords), rulesOf, unconditional };
  }
  return index;
}

function ruleAt(ruleIndex: number): CompiledRule {
  let rule = compiled.get(ruleIndex);
  if (!rule) {
    const source = ruleList().rules[ruleIndex] as ImportedRule;
    rule = { pattern: new RegExp(source.pattern, `${source.flags}g`), allowlists: (source.allowlists ?? []).map(allowlistOf) };
    compiled.set(ruleIndex, rule);
  }
  return rule;
}

function allowed(list: Allowlist, secret: string, match: string, line: string): boolean {
  const target = list.target === 'match' ? match : list.target === 'line' ? line : secret;
  const checks: boolean[] = [];
  if (list.regexes.length > 0) checks.push(list.regexes.some((regex) => regex.test(target)));
  if (list.stopwords) checks.push(list.stopwords.containsAny(secret));
  return list.all ? checks.length > 0 && checks.every(Boolean) : checks.some(Boolean);
}

const isGeneric = (rule: ImportedRule) => rule.id.startsWith('generic');

/** Vendor rules before generic ones, so a finding names the most specific rule; else gitleaks' order. */
function byPrecedence(a: number, b: number): number {
  const rules = ruleList().rules;
  return Number(isGeneric(rules[a] as ImportedRule)) - Number(isGeneric(rules[b] as ImportedRule)) || a - b;
}

function secretOf(rule: ImportedRule, groups: RegExpExecArray): string | undefined {
  if (groups.length < 2) return groups[0];
  if (rule.secretGroup) return groups[rule.secretGroup];
  return groups.slice(1).find((group) => group !== undefined && group.length > 0) ?? groups[0];
}

/**
 * The first gitleaks rule whose keywords, pattern, entropy and allowlists all say `line` holds a
 * secret, and that the caller's judge does not veto.
 */
export function gitleaksHit(line: string, judge: GitleaksJudge): GitleaksHit | undefined {
  const { keywords, rulesOf, unconditional } = keywordIndex();
  const candidates = new Set(unconditional);
  for (const keyword of keywords.matches(line)) for (const ruleIndex of rulesOf[keyword] as number[]) candidates.add(ruleIndex);
  const { rules, allowlist } = ruleList();
  globalAllowlist ??= allowlistOf(allowlist);
  for (const ruleIndex of [...candidates].sort(byPrecedence)) {
    const source = rules[ruleIndex] as ImportedRule;
    if (judge.skip(source.id)) continue;
    const rule = ruleAt(ruleIndex);
    for (const match of line.matchAll(rule.pattern)) {
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
