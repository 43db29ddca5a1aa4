import { secretRule } from '../detectors/secret-scanner/scan-variables';

export interface LabelledValue {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
  readonly kind: string;
}

export interface CorpusScore {
  readonly values: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly valuesPerSecond: number;
  /** Kinds of the misjudged values (never the values). */
  readonly misses: readonly string[];
  readonly falseAlarms: readonly string[];
}

/** Scans a labelled corpus and scores the scanner: precision, recall, throughput. */
export function scoreCorpus(corpus: readonly LabelledValue[]): CorpusScore {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  const started = performance.now();
  for (const entry of corpus) {
    const flagged = secretRule(entry.name, entry.value) !== undefined;
    if (flagged && entry.secret) truePositives += 1;
    if (flagged && !entry.secret) {
      falsePositives += 1;
      falseAlarms.push(`${entry.kind} (${entry.name})`);
    }
    if (!flagged && entry.secret) {
      falseNegatives += 1;
      misses.push(`${entry.kind} (${entry.name})`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    values: corpus.length,
    truePositives,
    falsePositives,
    falseNegatives,
    precision: truePositives / Math.max(1, truePositives + falsePositives),
    recall: truePositives / Math.max(1, truePositives + falseNegatives),
    valuesPerSecond: corpus.length / seconds,
    misses,
    falseAlarms,
  };
}
