/**
 * One pass over a text for many literal keywords at once: an Aho-Corasick automaton compiled to a
 * table over ASCII (keywords are ASCII, matched case-insensitively; any other character restarts the
 * search). The scanner's prefilter, so a rule runs only when one of its keywords is in `NAME=value`.
 */
const ALPHABET = 128;

export class KeywordIndex {
  private readonly table: Uint16Array | Uint32Array;
  /** For each state, the keyword indexes that end there (through failure links too), or undefined. */
  private readonly output: (readonly number[] | undefined)[];

  /** `keywords` are matched case-insensitively; `matches` answers indexes into this array. */
  constructor(readonly keywords: readonly string[]) {
    const children: Map<number, number>[] = [new Map<number, number>()];
    const ends: number[][] = [[]];
    keywords.forEach((keyword, index) => {
      let state = 0;
      for (const char of keyword.toLowerCase()) {
        const code = char.charCodeAt(0);
        if (code >= ALPHABET) throw new Error(`keyword ${JSON.stringify(keyword)} is not ASCII`);
        let target = (children[state] as Map<number, number>).get(code);
        if (target === undefined) {
          target = children.push(new Map<number, number>()) - 1;
          ends.push([]);
          (children[state] as Map<number, number>).set(code, target);
        }
        state = target;
      }
      (ends[state] as number[]).push(index);
    });
    const states = children.length;
    this.table = states < 0xffff ? new Uint16Array(states * ALPHABET) : new Uint32Array(states * ALPHABET);
    const fail = new Array<number>(states).fill(0);
    const queue: number[] = [];
    for (const [code, target] of children[0] as Map<number, number>) {
      this.table[code] = target;
      queue.push(target);
    }
    for (let head = 0; head < queue.length; head += 1) {
      const state = queue[head] as number;
      (ends[state] as number[]).push(...(ends[fail[state] as number] as number[]));
      for (let code = 0; code < ALPHABET; code += 1) {
        const child = (children[state] as Map<number, number>).get(code);
        const fallback = this.table[(fail[state] as number) * ALPHABET + code] as number;
        if (child === undefined) {
          this.table[state * ALPHABET + code] = fallback;
        } else {
          this.table[state * ALPHABET + code] = child;
          fail[child] = fallback;
          queue.push(child);
        }
      }
    }
    this.output = ends.map((list) => (list.length > 0 ? [...new Set(list)] : undefined));
  }

  /** The indexes of every keyword the text contains, overlapping ones included. */
  matches(text: string): Set<number> {
    const found = new Set<number>();
    this.scan(text, (ended) => {
      for (const index of ended) found.add(index);
      return false;
    });
    return found;
  }

  /** Whether the text contains any keyword. */
  containsAny(text: string): boolean {
    return this.scan(text, () => true);
  }

  /** Runs the automaton over `text`; `onEnd` gets the keywords ending at each step and returns true to stop. */
  private scan(text: string, onEnd: (ended: readonly number[]) => boolean): boolean {
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      let code = text.charCodeAt(i);
      if (code >= ALPHABET) {
        state = 0;
        continue;
      }
      if (code >= 65 && code <= 90) code += 32;
      state = this.table[state * ALPHABET + code] as number;
      const ended = this.output[state];
      if (ended && onEnd(ended)) return true;
    }
    return false;
  }
}
