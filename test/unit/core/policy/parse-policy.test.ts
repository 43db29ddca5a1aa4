import { join } from 'node:path';
import { PolicyFileError, PolicyInvalidError } from '../../../../core/policy/errors';
import { loadPolicyFile, parsePolicy } from '../../../../core/policy/parse-policy';

const NOW = new Date('2026-11-23T00:00:00Z');

describe('parsePolicy', () => {
  it('accepts the shipped default policy without warnings', () => {
    const { policy, warnings } = loadPolicyFile(join(__dirname, '../../../../config/policy.yaml'), NOW);
    expect(warnings).toEqual([]);
    expect(Object.keys(policy.checks).sort()).toEqual([
      'apigateway-stage-throttling',
      'apigateway-stage-waf',
      'dynamodb-table-encryption',
      'lambda-function-env-secrets',
    ]);
    expect(policy.approvals?.slack.botToken).toBe('secret:warden/slack-bot');
  });

  it('accepts a minimal policy and fills the defaults', () => {
    const { policy } = parsePolicy('version: 1\n', 'min.yaml', NOW);
    expect(policy).toMatchObject({ version: 1, defaults: {}, checks: {}, overrides: [], exemptions: [] });
  });

  it('reports an expired exemption as a located warning, not an error', () => {
    const { warnings } = parsePolicy('version: 1\nexemptions:\n  - { tag: { key: team }, expires: 2026-01-31 }\n', 'policy.yaml', NOW);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        line: 3,
        col: 36,
        path: 'exemptions[0].expires',
        severity: 'warning',
        message: 'expired on 2026-01-31; it is ignored',
      }),
    );
  });

  it("warns when the deployment leaves out IAM's home region, where execution roles are judged, unless the check is off", () => {
    const deployment = 'deployment:\n  regions: [eu-west-1]\n  organizationalUnits: [ou-abcd-12345678]\n  hubAccount: "111122223333"\n';
    const { warnings } = parsePolicy(`version: 1\n${deployment}`, 'policy.yaml', NOW);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/^execution roles are judged only in us-east-1, .*add us-east-1/),
      }),
    );
    const off = parsePolicy(`version: 1\nchecks:\n  lambda-execution-role-wildcards: { enabled: false }\n${deployment}`, 'policy.yaml', NOW);
    expect(off.warnings.map((warning) => warning.message)).not.toContainEqual(expect.stringMatching(/^execution roles/));
  });

  it('lists every error, sorted by position, not only the first', () => {
    expect(() => parsePolicy('version: 1\ndefaults: { mode: fix, dryRun: 1 }\nextra: true\n', 'policy.yaml', NOW)).toThrow(
      /invalid policy: 3 problems\npolicy.yaml:2:19: defaults.mode: .*\npolicy.yaml:2:32: defaults.dryRun: .*\npolicy.yaml:3:1: extra: unknown key/,
    );
  });

  it('never repeats a secret value in its messages', () => {
    const token = 'xoxb-2048-1234567890-CANARYcanary0123';
    const text = `version: 1\ntickets: { provider: webhook, webhook: { url: "https://h.example.com", signingSecret: "${token}" } }\n`;
    let thrown: unknown;
    try {
      parsePolicy(text, 'p.yaml', NOW);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PolicyInvalidError);
    const invalid = thrown as PolicyInvalidError;
    expect(invalid.message).toContain('looks like a secret (Slack token)');
    expect(invalid.message).not.toContain('CANARY');
    expect(JSON.stringify(invalid.problems)).not.toContain('CANARY');
  });

  it('wraps an unreadable file in PolicyFileError with the cause', () => {
    expect(() => loadPolicyFile('/nonexistent/policy.yaml')).toThrow(PolicyFileError);
  });
});
