import regression from '../test/fixtures/secret-corpus/corpus.json';
import independent from '../test/fixtures/secret-corpus-independent/corpus.json';
import { secretRule } from '../detectors/secret-scanner/scan-variables';
import { type CorpusScore, corpusHalf, scoreCorpus } from './measure-corpus';

export interface ScannerBench {
  /**
   * The independent corpus, written apart from the rules: rules are tuned on its development half
   * only; the held-back half is the field estimate the README quotes.
   */
  readonly development: CorpusScore;
  readonly heldBack: CorpusScore;
  /** The corpus written alongside the first rules: a regression floor only, not a field estimate. */
  readonly regression: CorpusScore;
  /** Values per second over both corpora, whole scanner, one core, warm (median of 7 runs of 10 passes). */
  readonly valuesPerSecond: number;
}

/** Precision and recall on the labelled corpora, and the scanner's warm throughput on one core. */
export function benchSecretScanner(): ScannerBench {
  const development = corpusHalf(independent.entries, 'development');
  const heldBack = corpusHalf(independent.entries, 'held-back');
  const all = [...development, ...heldBack, ...regression];
  const rate = () => {
    const started = performance.now();
    for (let pass = 0; pass < 10; pass += 1) for (const entry of all) secretRule(entry.name, entry.value);
    return (10 * all.length) / ((performance.now() - started) / 1000);
  };
  rate(); // warm-up: rules load and compile and the JIT settles
  const rates = Array.from({ length: 7 }, rate).sort((a, b) => a - b);
  return {
    development: scoreCorpus(development),
    heldBack: scoreCorpus(heldBack),
    regression: scoreCorpus(regression),
    valuesPerSecond: rates[3] as number,
  };
}
