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
  /** Kinds and names of the misjudged values, and the rule of a false alarm (never the values). */
  readonly misses: readonly string[];
  readonly falseAlarms: readonly string[];
}

/** An entry of the independent corpus (test/fixtures/secret-corpus-independent). */
export interface IndependentValue {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
  readonly format: string;
  readonly half: string;
}

/** One half of the independent corpus, as labelled values. */
export function corpusHalf(entries: readonly IndependentValue[], half: 'development' | 'held-back'): LabelledValue[] {
  return entries.filter((entry) => entry.half === half).map(({ name, value, secret, format }) => ({ name, value, secret, kind: format }));
}

/** Scans a labelled corpus and scores the scanner: precision and recall (bench/secret-scanner.ts times it). */
export function scoreCorpus(corpus: readonly LabelledValue[]): CorpusScore {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const entry of corpus) {
    const rule = secretRule(entry.name, entry.value);
    const flagged = rule !== undefined;
    if (flagged && entry.secret) truePositives += 1;
    if (flagged && !entry.secret) {
      falsePositives += 1;
      falseAlarms.push(`${entry.kind} (${entry.name}, by ${rule})`);
    }
    if (!flagged && entry.secret) {
      falseNegatives += 1;
      misses.push(`${entry.kind} (${entry.name})`);
    }
  }
  return {
    values: corpus.length,
    truePositives,
    falsePositives,
    falseNegatives,
    precision: truePositives / Math.max(1, truePositives + falsePositives),
    recall: truePositives / Math.max(1, truePositives + falseNegatives),
    misses,
    falseAlarms,
  };
}
