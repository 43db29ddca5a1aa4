/** The logging and metrics Warden's domain code needs; Lambda wires Powertools, the CLI and tests their own. */
export interface Log {
  info(message: string, attributes?: Readonly<Record<string, unknown>>): void;
  warn(message: string, attributes?: Readonly<Record<string, unknown>>): void;
  error(message: string, attributes?: Readonly<Record<string, unknown>>): void;
}

export interface Counters {
  count(name: string, value?: number): void;
}

export const SILENT_LOG: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
export const NO_COUNTERS: Counters = { count: () => undefined };
