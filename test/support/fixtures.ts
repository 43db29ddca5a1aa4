import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Canary secrets in real formats: tests plant them and assert they appear nowhere else. */
export const CANARY = {
  stripe: 'sk_live_51CANARYwardenCanary0Secret9Zz',
  databaseUrl: 'postgres://app:Canary-Db-P4ssw0rd@db.internal.example.com:5432/app',
} as const;

/** A recorded API response from test/fixtures/api, with canary placeholders filled in. */
export function apiFixture<T = Record<string, unknown>>(name: string): T {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'api', `${name}.json`), 'utf8')
    .replaceAll('__CANARY_STRIPE__', CANARY.stripe)
    .replaceAll('__CANARY_DB_URL__', CANARY.databaseUrl);
  return JSON.parse(text) as T;
}

/** A real payload shape, copied into test/fixtures/shapes (see SOURCES.md there). */
export function awsShape<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'shapes', name), 'utf8')) as T;
}

/** Asserts that no canary secret appears in what was serialised. */
export function expectNoCanary(value: unknown): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const canary of Object.values(CANARY)) {
    if (text.includes(canary) || text.includes('Canary-Db-P4ssw0rd') || text.includes('CANARYwardenCanary')) {
      throw new Error('a canary secret leaked');
    }
  }
}
