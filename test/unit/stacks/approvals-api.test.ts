import { approvalMessage } from '../../../remediators/slack/approval-message';
import { planEnvSecrets } from '../../../remediators/lambda-function-env-secrets-plan';
import { APPROVALS_MAX_BODY_BYTES } from '../../../stacks/constructs/approvals-api';
import { resourcesOfType, synthesizedTemplates } from '../../support/cloud-assembly';
import { awsShape } from '../../support/fixtures';
import { workflowInput } from '../../support/workflow-input';

/** The web ACLs of the synthesized templates, by name. */
function webAcls(): Record<string, { Rules: { Name: string; Statement: Record<string, Record<string, unknown>> }[] }> {
  return Object.fromEntries(
    Object.values(synthesizedTemplates()).flatMap((template) =>
      resourcesOfType(template, 'AWS::WAFv2::WebACL').map(([, acl]) => [String(acl.Properties?.['Name']), acl.Properties as never]),
    ),
  );
}

const overridesOf = (acl: ReturnType<typeof webAcls>[string]) =>
  acl.Rules.find((rule) => rule.Name === 'AWSManagedRulesCommonRuleSet')?.Statement['ManagedRuleGroupStatement']?.['RuleActionOverrides'] as { Name: string; ActionToUse: Record<string, unknown> }[] | undefined;

/** A Slack block_actions interaction for Warden's largest approval message, as Slack posts it (form-encoded). */
function interactionBody(flaggedVariables: number): string {
  const base = workflowInput({ mode: 'approval', decidedBy: 'checks.lambda-function-env-secrets', settings: { kmsKey: 'alias/aws/secretsmanager', ignoreVariables: [] } }, 'lambda-function-env-secrets');
  const flagged = Array.from({ length: flaggedVariables }, (_, index) => ({ name: `SERVICE_${index}_API_SECRET_KEY`, rule: 'secretlint:@secretlint/secretlint-rule-preset-recommend', fingerprint: 'a1b2' }));
  const finding = { ...base.finding, resourceArn: 'arn:aws:lambda:eu-west-1:111122223333:function:payments-checkout-production-handler', reason: `function payments-checkout-production-handler has plaintext secrets in its environment: ${flagged.map((match) => match.name).join(', ')}`, evidence: { flagged } };
  const plan = planEnvSecrets(finding, { kmsKey: 'alias/aws/secretsmanager', ignoreVariables: [] });
  const message = approvalMessage({ approvalId: 'a'.repeat(43), account: '111122223333', region: 'eu-west-1', input: { ...base, finding, plan }, approvers: ['U0123ABCD9', 'S0123ABCD9'], expiresAt: new Date('2026-11-21T10:00:00Z') });
  const payload = { ...awsShape<Record<string, unknown>>('slack_block_actions_payload_button_click.json'), message: { type: 'message', text: message.text, blocks: message.blocks } };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

describe('web ACLs that must not break the APIs they protect', () => {
  it("the baseline web ACL counts the Common Rule Set's body-size and User-Agent rules (AWS's advice for a new ACL), and rate-limits per IP as the policy says", () => {
    const baseline = webAcls()['warden-baseline']!;
    expect(overridesOf(baseline)).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
      { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
    ]);
    const rate = baseline.Rules.find((rule) => rule.Name === 'RateLimitPerIp')?.Statement['RateBasedStatement'];
    expect(rate).toMatchObject({ Limit: 2000, AggregateKeyType: 'IP' });
  });

  it("the approvals endpoint's ACL does not apply the 8 KB body rule to Slack's payloads, and bounds bodies at 16 KB itself", () => {
    const approvals = webAcls()['warden-approvals']!;
    expect(overridesOf(approvals)).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    const size = approvals.Rules.find((rule) => rule.Name === 'MaxBodySize')?.Statement['SizeConstraintStatement'];
    expect(size).toMatchObject({ Size: APPROVALS_MAX_BODY_BYTES, ComparisonOperator: 'GT' });
  });

  it('a click on the approval message for a function with 12 flagged variables is over 8 KB, and under the 16 KB the endpoint accepts', () => {
    const bytes = Buffer.byteLength(interactionBody(12), 'utf8');
    expect(bytes).toBeGreaterThan(8 * 1024);
    expect(bytes).toBeLessThanOrEqual(APPROVALS_MAX_BODY_BYTES);
  });
});
