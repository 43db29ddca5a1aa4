/*
 * Client-side rate limits per API family, so that a sweep runs at the API's documented rate instead of
 * bursting into throttling and letting the SDK's retries back off, and leaves the rest of a shared rate
 * to the account's own tooling.
 */

export interface ApiRate {
  /** Sustained requests per second the API allows, for the whole account and region. */
  readonly perSecond: number;
  /** Requests it accepts at once after a quiet spell. */
  readonly burst: number;
}

/** The families whose documented limits a sweep reaches; other APIs only retry (adaptive) as before. */
export const API_RATE_LIMITS = {
  lambda: {
    perSecond: 15,
    // No burst is documented: assumed equal to one second's rate.
    burst: 15,
    shared: 'every control plane call but invocations, GetFunction and GetPolicy (ListFunctions, GetFunctionConfiguration, ListTags…)',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (API requests: control plane, 15 per second)',
  },
  apigateway: {
    perSecond: 10,
    burst: 40,
    shared: 'every management call of the account (GetRestApis, GetStages, GetStage, UpdateStage…)',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (API Gateway management: 10 per second, burst 40, per account)',
  },
} as const satisfies Readonly<Record<string, ApiRate & { readonly shared: string; readonly source: string }>>;

export type RateLimitedApi = keyof typeof API_RATE_LIMITS;

/**
 * What Warden may use of each limit: by default half, so the account's own tooling keeps the rest.
 * The buckets are per process: detector containers running at once each take their share, so the
 * share holds for the daily sweep (one invocation), not for a burst of events across containers.
 */
export interface RateShare {
  readonly share?: number;
  /**
   * A different rate per family (requests per second), e.g. a lower one in an account whose tooling
   * needs more; the burst scales with it. AWS documents both limits above as not adjustable.
   */
  readonly perSecond?: Partial<Record<RateLimitedApi, number>>;
}

export const DEFAULT_RATE_SHARE = 0.5;

/** The policy's `member.apiRates`: the rate share, and per account what differs there. */
export interface ApiRatesPolicy extends RateShare {
  readonly accounts?: Readonly<Record<string, RateShare>>;
}

/** What Warden may use in `account`: the policy's rates, with that account's own keys over them. */
export function ratesFor(policy: ApiRatesPolicy | undefined, account: string): RateShare {
  const own = policy?.accounts?.[account];
  const share = own?.share ?? policy?.share;
  const perSecond = { ...policy?.perSecond, ...own?.perSecond };
  return { ...(share !== undefined ? { share } : {}), ...(Object.keys(perSecond).length > 0 ? { perSecond } : {}) };
}

/**
 * A token bucket that never refuses: each caller reserves a token and waits until it is due, so
 * concurrent callers are served in order at exactly `perSecond` after the first `burst`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly clock: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  async take(): Promise<void> {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens < 0) await this.sleep((-this.tokens / this.perSecond) * 1000);
  }
}

/** The buckets of one process (a Lambda container, the CLI): every client of a family shares its bucket. */
export function rateBuckets(options: RateShare = {}): Record<RateLimitedApi, TokenBucket> {
  const share = options.share ?? DEFAULT_RATE_SHARE;
  if (!(share > 0 && share <= 1)) throw new RangeError(`rate share must be in (0, 1], not ${share}`);
  const bucket = (api: RateLimitedApi) => {
    const limit = API_RATE_LIMITS[api];
    const perSecond = options.perSecond?.[api] ?? limit.perSecond;
    return new TokenBucket(perSecond * share, Math.max(1, Math.floor(limit.burst * (perSecond / limit.perSecond) * share)));
  };
  return { lambda: bucket('lambda'), apigateway: bucket('apigateway') };
}

interface MiddlewareClient {
  readonly middlewareStack: {
    addRelativeTo(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: Record<string, unknown>,
    ): void;
  };
}

/**
 * Every attempt of every call of `client` (retries included) first takes a token from `bucket`: the
 * wait sits inside the retry middleware and before signing, so a long queue cannot outlive a signature.
 */
export function limitRate<T>(client: T, bucket: TokenBucket): T {
  (client as unknown as MiddlewareClient).middlewareStack.addRelativeTo(
    (next) => async (args) => {
      await bucket.take();
      return next(args);
    },
    { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'wardenApiRateLimit' },
  );
  return client;
}

/** The clients of a set that belong to a rate-limited family, limited; the others as they are. */
export function rateLimited<Clients extends object>(clients: Clients, buckets: Record<RateLimitedApi, TokenBucket>): Clients {
  for (const [name, client] of Object.entries(clients)) {
    if (name in buckets && client && typeof client === 'object' && 'middlewareStack' in client) limitRate(client, buckets[name as RateLimitedApi]);
  }
  return clients;
}
