import { StandIns } from '../../../../cli/snapshot/stand-in';
import { secretRule } from '../../../../detectors/secret-scanner/scan-variables';
import { CANARY } from '../../../support/fixtures';

describe('stand-ins for environment values', () => {
  const standIns = new StandIns();

  it.each([
    ['STRIPE_SECRET_KEY', CANARY.stripe],
    ['DATABASE_URL', CANARY.databaseUrl],
    ['GITHUB_TOKEN', 'ghp_R8m2Xk4vQ9tLw7pZ3nB6yH1cJ5fD0sA8eG2u'],
    ['SLACK_BOT_TOKEN', 'xoxb-204681393371-7180336190390-oarppbqmouUHBFZJFTHJgkfr'],
    ['DB_PASSWORD', 'Tr0ub4dor&3-horse-battery'],
  ])('%s: a secret stays a secret, and nothing of its secret part survives', (name, value) => {
    const standIn = standIns.of(name, value);
    expect(standIn).toMatchObject({ verdictKept: true, secret: true, fingerprint: expect.stringMatching(/^[0-9a-f]{4}$/) });
    expect(secretRule(name, standIn.value)).toBeDefined();
    expect(standIn.value).not.toBe(value);
    expect(standIn.value).toHaveLength(value.length);
    // The body after the credential's prefix is new: no run of 6 of the original's characters is left there.
    const prefix = /^([a-z]+:\/\/|[A-Za-z]{2,6}[_-]([A-Za-z]{2,7}[_-])?)/.exec(value)?.[0].length ?? 0;
    const survivors = Array.from({ length: Math.max(0, value.length - 5 - prefix) }, (_, i) => value.slice(prefix + i, prefix + i + 6)).filter(
      (run) => /[A-Za-z0-9]{3}/.test(run) && standIn.value.includes(run),
    );
    expect(survivors).toEqual([]);
  });

  it.each([
    ['STAGE', 'prod'],
    ['TABLE_NAME', 'orders-2026'],
    ['SITE', 'https://shop.example.com/checkout'],
  ])('%s: a plain value stays no secret, in its shape', (name, value) => {
    const standIn = standIns.of(name, value);
    expect(standIn).toMatchObject({ verdictKept: true, secret: false });
    expect(secretRule(name, standIn.value)).toBeUndefined();
    expect(standIn.value.replace(/[a-z]/g, 'a').replace(/\d/g, '0')).toBe(value.replace(/[a-z]/g, 'a').replace(/\d/g, '0'));
  });

  it('is new for every recording: a stand-in cannot be reversed by guessing its key', () => {
    expect(new StandIns().of('STRIPE_SECRET_KEY', CANARY.stripe).value).not.toBe(new StandIns().of('STRIPE_SECRET_KEY', CANARY.stripe).value);
    expect(standIns.of('STRIPE_SECRET_KEY', CANARY.stripe).value).toBe(standIns.of('STRIPE_SECRET_KEY', CANARY.stripe).value);
  });
});
