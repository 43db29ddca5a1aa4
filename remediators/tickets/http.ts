import { WardenError } from '../../core/errors';

export class TicketError extends WardenError {
  override name: string = 'TicketError';
}

/** The provider refused for good (4xx other than 429), or kept failing after every retry. */
export class TicketProviderError extends TicketError {
  override name: string = 'TicketProviderError';
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface RetryOptions {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A JSON request that retries 429 and 5xx (and network errors) with exponential backoff and full jitter,
 * honouring Retry-After; other 4xx fail at once. The error names the status, never the request body.
 */
export async function requestJson(url: string, init: RequestInit, options: RetryOptions = {}): Promise<{ status: number; body: unknown }> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? realSleep;
  let last: { status?: number; cause?: unknown } = {};
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch (cause) {
      last = { cause };
      if (attempt < attempts) await sleep(Math.random() * Math.min(options.maxDelayMs ?? 20_000, (options.baseDelayMs ?? 500) * 2 ** (attempt - 1)));
      continue;
    }
    const text = await response.text();
    if (response.ok) return { status: response.status, body: text ? (JSON.parse(text) as unknown) : {} };
    last = { status: response.status };
    if (response.status !== 429 && response.status < 500) break;
    if (attempt < attempts) {
      const backoff = Math.random() * Math.min(options.maxDelayMs ?? 20_000, (options.baseDelayMs ?? 500) * 2 ** (attempt - 1));
      await sleep(retryAfterMs(response.headers.get('retry-after'), Date.now()) ?? backoff);
    }
  }
  const host = new URL(url).host;
  throw new TicketProviderError(`${host} refused the ticket${last.status ? ` (HTTP ${last.status})` : ' (no response)'}`, last.status, { cause: last.cause });
}
