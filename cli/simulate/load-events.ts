import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { errorMessage } from '../../core/errors';
import { parseEnvelope } from '../../core/events/extract-resources';
import { InputError } from '../io';

/** An input that cannot be used; reported, never dropped. */
export interface InputProblem {
  readonly file: string;
  /** Position in an array file; absent for a single-event file. */
  readonly index?: number;
  /** The event's id, if it has one. */
  readonly event?: string;
  /** The one resource that could not be judged (the event's other resources still are). */
  readonly check?: string;
  readonly resourceArn?: string;
  readonly error: string;
}

export interface LoadedEvent {
  readonly file: string;
  readonly index?: number;
  readonly event: Record<string, unknown>;
}

function eventFiles(path: string, cwd: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : errorMessage(error);
    throw new InputError(`events ${relative(cwd, path) || path}: ${code === 'ENOENT' ? 'ENOENT: no such file or directory' : code}`, {
      cause: error,
    });
  }
  if (!stats.isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(path, name));
}

/** Reads events from a file or a directory of `.json` files, each one event or an array of events. */
export function loadEvents(path: string, cwd: string): { events: LoadedEvent[]; problems: InputProblem[] } {
  const events: LoadedEvent[] = [];
  const problems: InputProblem[] = [];
  for (const absolute of eventFiles(path, cwd)) {
    const file = relative(cwd, absolute) || absolute;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(absolute, 'utf8'));
    } catch (error) {
      problems.push({ file, error: `not JSON: ${errorMessage(error)}` });
      continue;
    }
    const items = Array.isArray(data) ? data.map((event: unknown, index) => ({ event, index })) : [{ event: data, index: undefined }];
    for (const { event, index } of items) {
      const id =
        typeof event === 'object' && event !== null && typeof (event as Record<string, unknown>)['id'] === 'string'
          ? ((event as Record<string, unknown>)['id'] as string)
          : undefined;
      try {
        parseEnvelope(event);
        events.push({ file, ...(index !== undefined ? { index } : {}), event: event as Record<string, unknown> });
      } catch (error) {
        problems.push({ file, ...(index !== undefined ? { index } : {}), ...(id ? { event: id } : {}), error: errorMessage(error) });
      }
    }
  }
  return { events, problems };
}
