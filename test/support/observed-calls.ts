import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedCall } from './sdk-call-log';

/** Where this run's SDK call logs go, for the IAM layer to read. */
export function observedCallsDir(): string {
  const dir = join(process.env['WARDEN_CDK_OUT'] ?? tmpdir(), 'observed-sdk-calls');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeObservedCalls(name: string, calls: readonly RecordedCall[]): void {
  writeFileSync(join(observedCallsDir(), `${name}.json`), JSON.stringify(calls, null, 1));
}
