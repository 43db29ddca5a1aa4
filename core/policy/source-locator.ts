import { type Document, isMap, isNode, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export type PolicyPath = readonly (string | number)[];

export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** Finds where in the YAML source a value (or a key) at a given path is written. */
export class SourceLocator {
  constructor(
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the value at `path`, or of its nearest written ancestor when the value is missing. */
  value(path: PolicyPath): SourcePosition {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = this.nodeAt(path.slice(0, depth));
      if (node?.range) return this.position(node.range[0]);
    }
    return { line: 1, col: 1 };
  }

  /** Position of the key `key` inside the map at `path` (for unknown or duplicate keys). */
  key(path: PolicyPath, key: string): SourcePosition {
    const map = this.nodeAt(path);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
          return this.position(pair.key.range[0]);
        }
      }
    }
    return this.value(path);
  }

  private nodeAt(path: PolicyPath): Node | undefined {
    if (path.length === 0) return isNode(this.document.contents) ? this.document.contents : undefined;
    const node = this.document.getIn(path, true);
    if (isNode(node)) return node;
    // A list written in its short form (`check: id` for `check: [id]`) has no element nodes.
    const parent = this.document.getIn(path.slice(0, -1), true);
    return isNode(parent) && !isSeq(parent) ? parent : undefined;
  }

  private position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }
}
