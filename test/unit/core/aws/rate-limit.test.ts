import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { API_RATE_LIMITS, limitRate, rateBuckets, ratesFor, TokenBucket } from '../../../../core/aws/rate-limit';
import { parsePolicy } from '../../../../core/policy/parse-policy';

/** A clock the bucket reads and a sleep that advances it: time passes only when a caller waits. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    clock: () => now,
    sleep: (ms: number) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
    waits,
    elapsed: () => now,
  };
}

describe('token bucket', () => {
  it('serves the burst at once, then exactly perSecond', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket(7.5, 7, time.clock, time.sleep);
    for (let call = 0; call < 7 + 75; call += 1) await bucket.take();
    // 75 calls after the burst at 7.5/s take 10 s.
    expect(time.elapsed()).toBeCloseTo(10_000, 5);
  });

  it('queues concurrent callers in order instead of letting them all through', async () => {
    // The clock stands still: all four ask at once, and each waits one more slot than the one before.
    const waits: number[] = [];
    const bucket = new TokenBucket(
      10,
      1,
      () => 0,
      (ms) => Promise.resolve(void waits.push(ms)),
    );
    await Promise.all(Array.from({ length: 4 }, () => bucket.take()));
    expect(waits.map((ms) => Math.round(ms))).toEqual([100, 200, 300]);
  });
});

describe('rate buckets', () => {
  it('take half of each documented limit by default, and a raised quota when the account has one', () => {
    const buckets = rateBuckets();
    expect(buckets.lambda.perSecond).toBe(API_RATE_LIMITS.lambda.perSecond / 2);
    expect(buckets.apigateway).toMatchObject({ perSecond: 5, burst: 20 });
    expect(rateBuckets({ share: 1, perSecond: { lambda: 100 } }).lambda).toMatchObject({ perSecond: 100, burst: 100 });
    expect(() => rateBuckets({ share: 0 })).toThrow(RangeError);
  });

  it("come from the policy's member.apiRates, with an account's own keys over the rest", () => {
    const policy = parsePolicy(
      `version: 1
member:
  apiRates:
    share: 0.25
    perSecond: { apigateway: 8 }
    accounts:
      "444455556666": { share: 0.75, perSecond: { lambda: 12 } }
`,
      'policy.yaml',
    ).policy;
    expect(ratesFor(policy.member.apiRates, '111122223333')).toEqual({ share: 0.25, perSecond: { apigateway: 8 } });
    expect(ratesFor(policy.member.apiRates, '444455556666')).toEqual({ share: 0.75, perSecond: { apigateway: 8, lambda: 12 } });
    expect(rateBuckets(ratesFor(policy.member.apiRates, '444455556666'))).toMatchObject({ lambda: { perSecond: 9 }, apigateway: { perSecond: 6 } });
    // Absent, the defaults: half of each documented limit.
    expect(ratesFor(undefined, '111122223333')).toEqual({});
  });

  it('refuse a share outside (0, 1] in the policy, with where it is', () => {
    expect(() => parsePolicy('version: 1\nmember: { apiRates: { share: 1.5 } }\n', 'policy.yaml')).toThrow(/member\.apiRates\.share/);
  });

  it('waits inside the retries and before signing, so a queued attempt is signed when it goes', () => {
    const client = limitRate(new LambdaClient({ region: 'us-east-1' }), new TokenBucket(1, 1));
    const order = client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);
    const at = (name: string) => order.indexOf(name);
    expect(at('wardenApiRateLimit')).toBeGreaterThan(at('retryMiddleware'));
    expect(at('wardenApiRateLimit')).toBeLessThan(at('httpSigningMiddleware'));
    expect(at('retryMiddleware')).toBeGreaterThanOrEqual(0);
  });

  it('every attempt of an SDK call takes a token first (the middleware sits inside the retries)', async () => {
    let taken = 0;
    const bucket = new TokenBucket(1_000, 1_000);
    const take = bucket.take.bind(bucket);
    bucket.take = () => {
      taken += 1;
      return take();
    };
    let attempts = 0;
    const client = limitRate(
      new LambdaClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 3,
        retryMode: 'standard',
        requestHandler: {
          handle: () => {
            attempts += 1;
            const throttled = attempts < 3;
            return Promise.resolve({
              response: {
                statusCode: throttled ? 429 : 200,
                headers: { 'content-type': 'application/json', ...(throttled ? { 'x-amzn-errortype': 'TooManyRequestsException' } : {}) },
                body: Buffer.from(throttled ? '{"message":"Rate exceeded"}' : '{"Functions":[]}'),
              },
            });
          },
        },
      }),
      bucket,
    );
    await client.send(new ListFunctionsCommand({}));
    expect([attempts, taken]).toEqual([3, 3]);
  });
});
