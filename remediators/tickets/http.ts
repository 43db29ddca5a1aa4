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

/** The provider sent a redirect, which Warden never follows: nothing was created where Warden sent it. */
export class TicketRedirectError extends TicketProviderError {
  override name = 'TicketRedirectError';
}

export interface RetryOptions {
  readonly attempts?: number;
  /**
   * Retry after no answer or a 5xx (default true). False for a create: its outcome is then unknown, and
   * the caller looks for what it may have created before it tries again. 429 is always retried.
   */
  readonly retryUnknownOutcome?: boolean;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How the retries wait: the options' sleep (tests), else a real timer. */
export const sleeperOf = (options: RetryOptions): ((ms: number) => Promise<void>) => options.sleep ?? realSleep;

/** Exponential backoff with full jitter before retry number `attempt` (1, 2, …). */
const jitteredBackoffMs = (options: RetryOptions, attempt: number): number =>
  Math.random() * Math.min(options.maxDelayMs ?? 20_000, (options.baseDelayMs ?? 500) * 2 ** (attempt - 1));

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Whether the error is fetch's refusal of a redirect (`redirect: 'error'`: "fetch failed", caused by "unexpected redirect"). */
const isRedirect = (error: unknown): boolean => {
  const cause = (error as { cause?: { message?: unknown } } | undefined)?.cause?.message;
  return typeof cause === 'string' && /redirect/i.test(cause);
};

/**
 * A JSON request that retries 429 and 5xx (and network errors) with exponential backoff and full jitter,
 * honouring Retry-After; other 4xx fail at once. It never follows a redirect: a 3xx would resend the body
 * and its credentials or signature to another origin, so it is a failure, not retried. A 2xx whose body
 * is not JSON is a failure too. Errors name the host and status, never a byte of either body.
 */
export async function requestJson(url: string, init: RequestInit, options: RetryOptions = {}): Promise<{ status: number; body: unknown }> {
  const attempts = options.attempts ?? 5;
  const sleep = sleeperOf(options);
  const host = new URL(url).host;
  let last: { status?: number; cause?: unknown } = {};
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(10_000) });
    } catch (cause) {
      if (isRedirect(cause)) throw new TicketRedirectError(`${host} answered with a redirect, which Warden never follows`, undefined);
      last = { cause };
      if (options.retryUnknownOutcome === false) break;
      if (attempt < attempts) await sleep(jitteredBackoffMs(options, attempt));
      continue;
    }
    const text = await response.text();
    if (response.ok) {
      try {
        return { status: response.status, body: text ? (JSON.parse(text) as unknown) : {} };
      } catch {
        // The provider may have created the ticket: the caller finds it by its label before creating another.
        throw new TicketProviderError(`${host} answered HTTP ${response.status} with a body that is not JSON`, response.status);
      }
    }
    last = { status: response.status };
    if (response.status !== 429 && (response.status < 500 || options.retryUnknownOutcome === false)) break;
    if (attempt < attempts) await sleep(retryAfterMs(response.headers.get('retry-after'), Date.now()) ?? jitteredBackoffMs(options, attempt));
  }
  throw new TicketProviderError(`${host} refused the ticket${last.status ? ` (HTTP ${last.status})` : ' (no response)'}`, last.status, {
    cause: last.cause,
  });
}
