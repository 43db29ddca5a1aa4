import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchSecretScanner } from './secret-scanner';

/** `npm run bench`: measures Warden and writes bench/results.json. Not part of `npm test`. */
async function main(): Promise<void> {
  const results: Record<string, unknown> = { measuredAt: new Date().toISOString(), node: process.version };

  const scanner = await benchSecretScanner();
  results['secretScanner'] = scanner;
  process.stdout.write('\nSecret scanner (labelled corpus, test/fixtures/secret-corpus)\n');
  process.stdout.write(`| values | precision | recall | values/s |\n| --- | --- | --- | --- |\n`);
  process.stdout.write(`| ${scanner.values} | ${scanner.precision.toFixed(3)} | ${scanner.recall.toFixed(3)} | ${Math.round(scanner.valuesPerSecond)} |\n`);
  if (scanner.misses.length > 0) process.stdout.write(`missed: ${scanner.misses.join(', ')}\n`);
  if (scanner.falseAlarms.length > 0) process.stdout.write(`false alarms: ${scanner.falseAlarms.join(', ')}\n`);

  mkdirSync(join(__dirname), { recursive: true });
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('\nwrote bench/results.json\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exitCode = 1;
});
