import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An EventBridge event from test/fixtures/events. */
export function eventFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'events', `${name}.json`), 'utf8')) as Record<string, unknown>;
}
