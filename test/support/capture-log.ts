import type { Counters, Log } from '../../core/observability';

/** A logger and counters that remember everything, for assertions (and canary checks). */
export function captureLog() {
  const lines: { level: string; message: string; attributes?: Readonly<Record<string, unknown>> }[] = [];
  const counts: Record<string, number> = {};
  const log: Log = {
    info: (message, attributes) => lines.push({ level: 'info', message, ...(attributes ? { attributes } : {}) }),
    warn: (message, attributes) => lines.push({ level: 'warn', message, ...(attributes ? { attributes } : {}) }),
    error: (message, attributes) => lines.push({ level: 'error', message, ...(attributes ? { attributes } : {}) }),
  };
  const metrics: Counters = { count: (name, value = 1) => void (counts[name] = (counts[name] ?? 0) + value) };
  return { log, metrics, lines, counts };
}
