import { parsePolicy } from '../../../../core/policy/parse-policy';
import { arnPatternMatches, type ResolutionContext, resolvePolicy } from '../../../../core/policy/resolve-policy';

const NOW = new Date('2026-11-23T12:00:00Z');
const STAGE = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod';

const POLICY = parsePolicy(
  `version: 1
defaults: { mode: report, approvalTimeout: 12h, maxAutoFixesPerHour: 5 }
checks:
  apigateway-stage-waf: { mode: ticket }
  apigateway-stage-throttling: { rateLimit: 50 }
overrides:
  - match: { account: "222233334444" }
    checks: { apigateway-stage-waf: { mode: auto } }
  - match: { organizationalUnit: ou-root-prodprod }
    checks: { apigateway-stage-waf: { mode: approval, approvalTimeout: 2h } }
  - match: { organizationalUnit: ou-root-teamteam }
    checks: { apigateway-stage-waf: { mode: report } }
  - match: { region: eu-west-1 }
    defaults: { dryRun: true }
exemptions:
  - { check: apigateway-stage-waf, resource: "arn:aws:apigateway:*::/restapis/a1b2c3d4e5/stages/dev", reason: internal test API, expires: 2027-03-31 }
  - { check: apigateway-stage-waf, resource: "arn:aws:apigateway:*::/restapis/a1b2c3d4e5/stages/old", reason: retired API, expires: 2026-11-22 }
  - { tag: { key: "warden:exempt" } }
  - { check: dynamodb-table-encryption, tag: { key: env, value: sandbox }, reason: sandbox tables hold no data }
approvals: { slack: { channel: C0123456789, approvers: [U0123ABCD9], botToken: "secret:warden/slack-bot", signingSecret: "secret:warden/slack-signing" } }
tickets: { provider: github, github: { repository: acme/security, token: "secret:warden/github" } }
`,
  'policy.yaml',
  NOW,
).policy;

function context(overrides: Partial<ResolutionContext> = {}): ResolutionContext {
  return {
    account: '111122223333',
    organizationalUnits: [],
    region: 'us-east-1',
    check: 'apigateway-stage-waf',
    resourceArn: STAGE,
    tags: {},
    now: NOW,
    ...overrides,
  };
}

describe('resolvePolicy precedence', () => {
  it('uses the check settings over the defaults', () => {
    const resolved = resolvePolicy(POLICY, context());
    expect(resolved.mode).toBe('ticket');
    expect(resolved.decidedBy).toBe('checks.apigateway-stage-waf');
    expect(resolved.approvalTimeoutSeconds).toBe(12 * 3600);
    expect(resolved.sources.approvalTimeout).toBe('defaults');
  });

  it('falls back to the policy defaults, then to the catalogue and built-in defaults', () => {
    const resolved = resolvePolicy(
      POLICY,
      context({ check: 'lambda-function-env-secrets', resourceArn: 'arn:aws:lambda:us-east-1:111122223333:function:f' }),
    );
    expect(resolved.mode).toBe('report');
    expect(resolved.decidedBy).toBe('defaults');
    expect(resolved.dryRun).toBe(false);
    expect(resolved.sources.dryRun).toBe('built-in defaults');
    expect(resolved.settings).toEqual({
      kmsKey: 'alias/aws/secretsmanager',
      ignoreVariables: [],
      ignoreRules: [],
      migration: 'two-phase',
      removePlaintextAfter: '7d',
      healthWindow: '1h',
      maxErrorRateRise: 0.01,
    });
  });

  it('uses the catalogue default mode when the policy sets none', () => {
    const bare = parsePolicy('version: 1\n', 'bare.yaml', NOW).policy;
    const resolved = resolvePolicy(
      bare,
      context({ check: 'dynamodb-table-encryption', resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/t' }),
    );
    expect(resolved.mode).toBe('auto');
    expect(resolved.decidedBy).toBe('catalogue (dynamodb-table-encryption)');
    expect(resolved.maxAutoFixesPerHour).toBe(10);
  });

  it('applies check-specific settings with their defaults', () => {
    const resolved = resolvePolicy(POLICY, context({ check: 'apigateway-stage-throttling' }));
    expect(resolved.settings).toEqual({ rateLimit: 50, burstLimit: 200 });
  });

  it('lets an OU override beat the check settings', () => {
    const resolved = resolvePolicy(POLICY, context({ organizationalUnits: ['ou-root-prodprod'] }));
    expect(resolved.mode).toBe('approval');
    expect(resolved.approvalTimeoutSeconds).toBe(7200);
    expect(resolved.decidedBy).toBe('overrides[1].checks.apigateway-stage-waf');
  });

  it('lets a deeper OU beat a shallower one, whatever the file order', () => {
    const resolved = resolvePolicy(POLICY, context({ organizationalUnits: ['ou-root-teamteam', 'ou-root-prodprod'] }));
    expect(resolved.mode).toBe('approval');
    const reversed = resolvePolicy(POLICY, context({ organizationalUnits: ['ou-root-prodprod', 'ou-root-teamteam'] }));
    expect(reversed.mode).toBe('report');
  });

  it('lets an account override beat an OU override', () => {
    const resolved = resolvePolicy(POLICY, context({ account: '222233334444', organizationalUnits: ['ou-root-prodprod'] }));
    expect(resolved.mode).toBe('auto');
    expect(resolved.decidedBy).toBe('overrides[0].checks.apigateway-stage-waf');
    expect(resolved.approvalTimeoutSeconds).toBe(7200);
  });

  it('applies region overrides only in their region', () => {
    expect(resolvePolicy(POLICY, context({ region: 'eu-west-1' })).dryRun).toBe(true);
    expect(resolvePolicy(POLICY, context({ region: 'eu-west-1' })).sources.dryRun).toBe('overrides[3].defaults');
    expect(resolvePolicy(POLICY, context({ region: 'us-east-1' })).dryRun).toBe(false);
  });
});

describe('resolvePolicy exemptions', () => {
  it('lets an exemption beat even an account override', () => {
    const resolved = resolvePolicy(
      POLICY,
      context({ account: '222233334444', resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev' }),
    );
    expect(resolved.exemption).toEqual({ rule: 'exemptions[0]', reason: 'internal test API', expires: '2027-03-31' });
    expect(resolved.decidedBy).toBe('exemptions[0]');
  });

  it('holds an exemption through its last day and ignores it after', () => {
    const dev = { resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev' };
    expect(resolvePolicy(POLICY, context({ ...dev, now: new Date('2027-03-31T23:59:00Z') })).exemption).toBeDefined();
    const after = resolvePolicy(POLICY, context({ ...dev, now: new Date('2027-04-01T00:00:01Z') }));
    expect(after.exemption).toBeUndefined();
    expect(after.expiredExemptions).toEqual([{ rule: 'exemptions[0]', reason: 'internal test API', expires: '2027-03-31' }]);
    expect(after.decidedBy).toBe('checks.apigateway-stage-waf');
  });

  it('reports an expired exemption and decides as if it were absent', () => {
    const resolved = resolvePolicy(POLICY, context({ resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/old' }));
    expect(resolved.exemption).toBeUndefined();
    expect(resolved.expiredExemptions.map((exemption) => exemption.rule)).toEqual(['exemptions[1]']);
    expect(resolved.mode).toBe('ticket');
  });

  it('exempts by tag key with the tag value as the reason, for every check', () => {
    const resolved = resolvePolicy(POLICY, context({ tags: { 'warden:exempt': 'load test until Friday' } }));
    expect(resolved.exemption).toEqual({ rule: 'exemptions[2]', reason: 'tag warden:exempt: load test until Friday' });
  });

  it('exempts by tag value only when the value matches and the check is listed', () => {
    const table = { check: 'dynamodb-table-encryption' as const, resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/t' };
    expect(resolvePolicy(POLICY, context({ ...table, tags: { env: 'sandbox' } })).exemption?.rule).toBe('exemptions[3]');
    expect(resolvePolicy(POLICY, context({ ...table, tags: { env: 'prod' } })).exemption).toBeUndefined();
    expect(resolvePolicy(POLICY, context({ tags: { env: 'sandbox' } })).exemption).toBeUndefined();
  });
});

describe('arnPatternMatches', () => {
  it.each([
    ['arn:aws:apigateway:*::/restapis/a1/stages/dev', 'arn:aws:apigateway:eu-west-1::/restapis/a1/stages/dev', true],
    ['arn:aws:apigateway:*::/restapis/a1/stages/dev', 'arn:aws:apigateway:eu-west-1::/restapis/a1/stages/dev2', false],
    ['arn:aws:dynamodb:*:*:table/orders-*', 'arn:aws:dynamodb:us-east-1:111122223333:table/orders-eu', true],
    ['arn:aws:dynamodb:us-east-1:111122223333:table/a.b', 'arn:aws:dynamodb:us-east-1:111122223333:table/aXb', false],
  ])('%s matches %s: %s', (pattern, arn, expected) => {
    expect(arnPatternMatches(pattern, arn)).toBe(expected);
  });
});
