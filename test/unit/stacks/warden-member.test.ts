import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parsePolicy } from '../../../core/policy/parse-policy';
import { WardenMember } from '../../../stacks/constructs/warden-member';

/** The member construct alone for a policy, without bundling (the suite's synthesized assemblies bundle). */
function memberTemplate(policyText: string): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Member');
  new WardenMember(stack, 'Member', {
    policy: parsePolicy(policyText, 'policy.yaml').policy,
    eventBusArn: 'arn:aws:events:eu-west-1:111122223333:event-bus/warden',
    organizationalUnitPath: '',
  });
  return Template.fromStack(stack);
}

const remediatorEnvironments = (template: Template) =>
  Object.values(template.findResources('AWS::Lambda::Function'))
    .map((fn) => (fn as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables ?? {})
    .filter((variables) => 'WARDEN_COUNTER_TABLE' in variables && !('WARDEN_STATE_MACHINE_ARN' in variables));

describe('the baseline web ACL is created only where the policy asks for it', () => {
  it('not at all when no section names it (the default): no web ACL, and no remediator is told of one', () => {
    const template = memberTemplate('version: 1\n');
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(template.toJSON()['Conditions']).toBeUndefined();
    const environments = remediatorEnvironments(template);
    expect(environments.length).toBeGreaterThan(0);
    for (const variables of environments) expect(variables['WARDEN_BASELINE_WEB_ACL_ARN']).toBeUndefined();
  });

  it('in every region when the checks section says baseline', () => {
    const template = memberTemplate('version: 1\nchecks:\n  apigateway-stage-waf: { webAcl: baseline }\n');
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    expect(Object.values(template.findResources('AWS::WAFv2::WebACL'))[0]).not.toHaveProperty('Condition');
  });

  it("under a region condition when only a region's map entry or a region override says baseline", () => {
    const template = memberTemplate(`version: 1
checks:
  apigateway-stage-waf:
    webAcl: { us-east-1: baseline, eu-west-1: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/eu/a1b2c3d4-5678-90ab-cdef-111122223333" }
overrides:
  - match: { region: ap-southeast-2 }
    checks: { apigateway-stage-waf: { webAcl: baseline } }
  - match: { region: eu-central-1 }
    checks: { apigateway-stage-waf: { webAcl: { us-east-1: baseline } } }
`);
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL')) as { Condition?: string }[];
    expect(acl?.Condition).toBeDefined();
    // eu-central-1's override names the baseline for another region only: it adds no region of its own.
    const conditions = template.toJSON()['Conditions'] as Record<string, unknown>;
    expect(conditions[acl!.Condition!]).toEqual({
      'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'ap-southeast-2'] }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }],
    });
    for (const variables of remediatorEnvironments(template))
      expect(variables['WARDEN_BASELINE_WEB_ACL_ARN']).toEqual({ 'Fn::If': [acl!.Condition, { 'Fn::GetAtt': [expect.any(String), 'Arn'] }, ''] });
    const outputs = template.toJSON()['Outputs'] as Record<string, { Condition?: string }>;
    expect(Object.entries(outputs).find(([id]) => id.includes('BaselineWebAclArn'))?.[1].Condition).toBe(acl!.Condition);
  });
});
