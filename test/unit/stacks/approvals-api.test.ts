import { lambdaFunctionEnvSecrets } from '../../../core/catalogue/lambda-function-env-secrets';
import { approvalMessage, SLACK_LIMITS } from '../../../remediators/slack/approval-message';
import { planEnvSecrets } from '../../../remediators/lambda-function-env-secrets/plan';
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
  acl.Rules.find((rule) => rule.Name === 'AWSManagedRulesCommonRuleSet')?.Statement['ManagedRuleGroupStatement']?.['RuleActionOverrides'] as
    { Name: string; ActionToUse: Record<string, unknown> }[] | undefined;

/** A Slack block_actions interaction for Warden's largest approval message, as Slack posts it (form-encoded). */
function largestMessage(flaggedVariables: number) {
  const base = workflowInput(
    { mode: 'approval', decidedBy: 'checks.lambda-function-env-secrets', settings: lambdaFunctionEnvSecrets.settings.parse({}) },
    'lambda-function-env-secrets',
  );
  // Lambda's longest names (64 characters), env var names of 128 with characters Slack escapes, every variable flagged.
  const functionName = `payments-checkout-production-handler-${'x'.repeat(64)}`.slice(0, 64);
  const flagged = Array.from({ length: flaggedVariables }, (_, index) => ({
    name: `SERVICE_${index}_API_SECRET_KEY_${'*_&<'.repeat(30)}`.slice(0, 128),
    rule: 'secretlint:@secretlint/secretlint-rule-preset-recommend',
    fingerprint: 'a1b2',
  }));
  const finding = {
    ...base.finding,
    resourceArn: `arn:aws:lambda:eu-west-1:111122223333:function:${functionName}`,
    reason: `function ${functionName} has plaintext secrets in its environment: ${flagged.map((match) => match.name).join(', ')}`,
    evidence: { flagged },
  };
  const plan = planEnvSecrets(finding, lambdaFunctionEnvSecrets.settings.parse({}));
  return approvalMessage({
    approvalId: 'a'.repeat(43),
    account: '111122223333',
    region: 'eu-west-1',
    input: { ...base, finding, plan },
    approvers: Array.from({ length: 60 }, (_, index) => `U0APPROVER${index}`),
    expiresAt: new Date('2026-11-21T10:00:00Z'),
  });
}

function interactionBody(flaggedVariables: number): string {
  const message = largestMessage(flaggedVariables);
  const payload = {
    ...awsShape<Record<string, unknown>>('slack_block_actions_payload_button_click.json'),
    message: { type: 'message', text: message.text, blocks: message.blocks },
  };
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

describe("the largest approval message Warden can produce, against Slack's limits and the endpoint's body rule", () => {
  type Block = { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text?: string }[] };
  const blocks = (flagged: number) => largestMessage(flagged).blocks as Block[];

  it.each([[1], [12], [35], [200], [1000]])(
    'with %i flagged variables: at most 50 blocks, 3,000 characters per section, 2,000 per field',
    (flagged) => {
      const all = blocks(flagged);
      expect(all.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      const texts = all.flatMap((block) => [
        ...(block.text && block.type !== 'header' ? [block.text.text] : []),
        ...(block.type === 'context' ? (block.elements ?? []).map((element) => element.text ?? '') : []),
      ]);
      const fields = all.flatMap((block) => (block.fields ?? []).map((field) => field.text));
      expect(Math.max(...texts.map((text) => text.length))).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(Math.max(...fields.map((text) => text.length))).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    },
  );

  it.each([[35], [200], [1000]])('with %i flagged variables, the click Slack posts back stays under the 16 KB the endpoint accepts', (flagged) => {
    // Measured: about 11.1 KB however many variables are flagged.
    expect(Buffer.byteLength(interactionBody(flagged), 'utf8')).toBeLessThanOrEqual(APPROVALS_MAX_BODY_BYTES);
  });

  it('says how many variables and calls were left out, and shows the first ones', () => {
    const text = JSON.stringify(blocks(200));
    expect(text).toContain('*Flagged variables* (200, names only)');
    expect(text).toMatch(/… and \d+ more/);
    expect(text).toContain('SERVICE_0_API_SECRET_KEY');
    expect(text).not.toContain('SERVICE_199_API_SECRET_KEY');
  });
});
