import regression from '../test/fixtures/secret-corpus/corpus.json';
import { type CorpusScore, scoreCorpus } from './measure-corpus';

export interface ScannerBench {
  /** The corpus written alongside the first rules: a regression floor only, not a field estimate. */
  readonly regression: CorpusScore;
  /** Values per second over the corpus, whole scanner, one core, warm (median of 7 passes). */
  readonly valuesPerSecond: number;
}

/** Precision and recall on the labelled corpus, and the scanner's warm throughput on one core. */
export function benchSecretScanner(): ScannerBench {
  for (let pass = 0; pass < 5; pass += 1) scoreCorpus(regression); // warm-up: rules compile and the JIT settles
  const rates = Array.from({ length: 7 }, () => scoreCorpus(regression).valuesPerSecond).sort((a, b) => a - b);
  return { regression: scoreCorpus(regression), valuesPerSecond: rates[3] as number };
}
