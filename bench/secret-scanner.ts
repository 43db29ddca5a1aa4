import corpus from '../test/fixtures/secret-corpus/corpus.json';
import { type CorpusScore, scoreCorpus } from './measure-corpus';

export type ScannerBench = CorpusScore;

/** Precision, recall and throughput of the secret scanner on the labelled corpus (best of 3 passes for speed). */
export async function benchSecretScanner(): Promise<ScannerBench> {
  await scoreCorpus(corpus); // warm-up: secretlint compiles its rules on first use
  const passes = [await scoreCorpus(corpus), await scoreCorpus(corpus), await scoreCorpus(corpus)];
  const best = passes.reduce((a, b) => (b.valuesPerSecond > a.valuesPerSecond ? b : a));
  return best;
}
