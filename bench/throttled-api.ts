import type { ApiRate } from '../core/aws/rate-limit';

/** A mocked AWS response, in the shape the SDK's request handler returns. */
export interface MockResponse {
  readonly response: { statusCode: number; headers: Record<string, string>; body: Buffer };
}

/** A mocked request, as the SDK hands it to its request handler. */
export interface MockRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string | string[] | undefined>;
  readonly body?: unknown;
}

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): MockResponse => ({
  response: { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(body)) },
});

/**
 * An API family's whole account-wide limit (a token bucket at its documented rate and burst), shared
 * with the account's own tooling sending `otherTooling` calls per second, and a real call's latency.
 * Warden's calls that exceed the whole limit are answered 429, as AWS throttles.
 */
export function throttledApi(limit: ApiRate, latencyMs: number, otherTooling: number, answer: (request: MockRequest) => MockResponse) {
  let tokens: number = limit.burst;
  let last = performance.now();
  const counts = { wardenCalls: 0, throttled: 0 };
  const admit = () => {
    const now = performance.now();
    tokens = Math.min(limit.burst, tokens + ((now - last) / 1000) * limit.perSecond);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const tooling = setInterval(() => void admit(), 1000 / otherTooling);
  const requestHandler = {
    async handle(request: MockRequest): Promise<MockResponse> {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (!admit()) {
        counts.throttled += 1;
        return json(429, { message: 'Rate exceeded', Type: 'User' }, { 'x-amzn-errortype': 'TooManyRequestsException' });
      }
      counts.wardenCalls += 1;
      return answer(request);
    },
  };
  return { requestHandler, counts, stop: () => clearInterval(tooling) };
}
