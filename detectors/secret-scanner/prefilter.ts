import { KeywordIndex } from './keyword-index';

/** A rule set's keywords: the rules each keyword admits, and the rules that run whatever the text. */
export interface KeywordRules {
  readonly keywords: readonly string[];
  readonly rulesOf: readonly (readonly number[])[];
  readonly unconditional: readonly number[];
}

/**
 * The scanner's single prefilter: one keyword pass over `NAME=value` for every rule set at once, so
 * that a rule runs only when the text holds one of the literals its pattern cannot match without.
 */
export class Prefilter {
  private readonly index: KeywordIndex;
  /** For each distinct keyword, the `[rule set, rule]` pairs it admits. */
  private readonly admits: (readonly (readonly [number, number])[])[];

  constructor(private readonly sets: readonly KeywordRules[]) {
    const keywords: string[] = [];
    const admits: [number, number][][] = [];
    const position = new Map<string, number>();
    sets.forEach((set, setIndex) =>
      set.keywords.forEach((keyword, keywordIndex) => {
        const key = keyword.toLowerCase();
        let at = position.get(key);
        if (at === undefined) {
          at = keywords.push(key) - 1;
          position.set(key, at);
          admits.push([]);
        }
        for (const rule of set.rulesOf[keywordIndex] ?? []) (admits[at] as [number, number][]).push([setIndex, rule]);
      }),
    );
    this.index = new KeywordIndex(keywords);
    this.admits = admits;
  }

  /** For each rule set, in its order, the rules that can match `line` (ascending, each once). */
  candidates(line: string): number[][] {
    const found = this.sets.map((set) => [...set.unconditional]);
    for (const keyword of this.index.matches(line)) for (const [set, rule] of this.admits[keyword] ?? []) (found[set] as number[]).push(rule);
    return found.map((rules) => {
      rules.sort((a, b) => a - b);
      return rules.filter((rule, at) => at === 0 || rule !== rules[at - 1]);
    });
  }
}
