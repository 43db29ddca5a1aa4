import { APIGatewayClient, GetStageCommand } from '@aws-sdk/client-api-gateway';
import {
  AssociateWebACLCommand,
  DisassociateWebACLCommand,
  GetWebACLForResourceCommand,
  WAFNonexistentItemException,
  WAFUnavailableEntityException,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apigatewayStageWafRemediator as remediator, webAclFor } from '../../../remediators/apigateway-stage-waf';
import { FatalRemediationError, RetryableRemediationError, VerificationFailedError } from '../../../remediators/errors';
import { apiFixture } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

import { apigatewayStageWaf } from '../../../core/catalogue';
/** The catalogue's defaults for the check's other settings. */
const WAF_DEFAULTS = apigatewayStageWaf.settings.parse({});

const apigateway = mockClient(APIGatewayClient);
const wafv2 = mockClient(WAFV2Client);
const clients = { apigateway: new APIGatewayClient({ region: 'us-east-1' }), wafv2: new WAFV2Client({ region: 'us-east-1' }) };
const stageArn = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev';
const finding = findingFor(
  { check: 'apigateway-stage-waf', account: '111122223333', region: 'us-east-1', resourceArn: stageArn },
  { reason: 'no web ACL', evidence: { stage: 'a1b2c3d4e5/dev' } },
);
const BASELINE = 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/warden-baseline/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const OTHER = 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/eu/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5c';
const context = { baselineWebAclArn: BASELINE };

beforeEach(() => {
  apigateway.reset();
  wafv2.reset();
  apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-throttled-500'));
  wafv2.on(GetWebACLForResourceCommand).resolves({});
});

describe('apigateway-stage-waf remediator', () => {
  it("chooses the policy's ACL for the region, and the baseline only where the policy names it", () => {
    expect(webAclFor({ ...WAF_DEFAULTS, webAcl: 'baseline' }, 'us-east-1', context)).toBe(BASELINE);
    expect(webAclFor({ ...WAF_DEFAULTS, webAcl: { 'eu-west-1': OTHER } }, 'eu-west-1', context)).toBe(OTHER);
    expect(webAclFor({ ...WAF_DEFAULTS, webAcl: { 'eu-west-1': OTHER, 'us-east-1': 'baseline' } }, 'us-east-1', context)).toBe(BASELINE);
    expect(() => webAclFor({ ...WAF_DEFAULTS, webAcl: { 'eu-west-1': OTHER } }, 'us-east-1', context)).toThrow(FatalRemediationError);
    expect(() => webAclFor({ ...WAF_DEFAULTS, webAcl: 'baseline' }, 'us-east-1', {})).toThrow(FatalRemediationError);
    expect(webAclFor({ ...WAF_DEFAULTS, webAcl: OTHER }, 'eu-west-1', context)).toBe(OTHER);
    // one region's ACL is never applied to a stage of another region, nor the baseline in its place
    expect(() => webAclFor({ ...WAF_DEFAULTS, webAcl: OTHER }, 'us-east-1', context)).toThrow(FatalRemediationError);
    // by default no web ACL is named: the baseline is never associated uninvited
    expect(() => webAclFor(WAF_DEFAULTS, 'us-east-1', context)).toThrow(FatalRemediationError);
  });

  it('with no web ACL named for the region (the default), plans no call and says what to set and what the baseline costs', () => {
    const plan = remediator.plan(finding, WAF_DEFAULTS, context);
    expect(plan.calls).toEqual([]);
    expect(plan.notes.join(' ')).toMatch(
      /the policy names no web ACL for us-east-1: set checks\.apigateway-stage-waf\.webAcl to a web ACL ARN of that region, or to baseline .*\$5 a month/,
    );
  });

  it('with the baseline named where the member stack did not create it, plans no call and says so', () => {
    const plan = remediator.plan(finding, { ...WAF_DEFAULTS, webAcl: 'baseline' }, {});
    expect(plan.calls).toEqual([]);
    expect(plan.notes.join(' ')).toMatch(/the warden-baseline web ACL is not in us-east-1: deploy Warden's member stack there/);
  });

  it('says in the plan what the baseline web ACL will block, and who must act', () => {
    const [note] = remediator.plan(finding, { ...WAF_DEFAULTS, webAcl: 'baseline' }, context).notes;
    expect(note).toContain('warden-baseline web ACL will answer 403 Forbidden');
    expect(note).toContain('SizeRestrictions_BODY and NoUserAgent_HEADER');
    expect(note).toContain('more than 2000 requests in 5 minutes from one IP address');
    expect(note).toContain('the stage owner must ask for an exception');
    const enforced = remediator.plan(
      finding,
      { ...WAF_DEFAULTS, webAcl: 'baseline', baselineEnforceSizeAndUserAgentRules: true, baselineRateLimit: 500 },
      context,
    ).notes[0];
    expect(enforced).not.toContain('only count');
    expect(enforced).toContain('more than 500 requests');
  });

  it('plans and applies exactly one AssociateWebACL', async () => {
    expect(remediator.plan(finding, { ...WAF_DEFAULTS, webAcl: 'baseline' }, context).calls).toEqual([
      { client: 'WAFV2', operation: 'AssociateWebACL', input: { WebACLArn: BASELINE, ResourceArn: stageArn } },
    ]);
    await expect(remediator.apply(finding, { ...WAF_DEFAULTS, webAcl: 'baseline' }, clients, context)).resolves.toEqual({
      changed: true,
      undo: { stageArn, webAclArn: BASELINE },
    });
    expect(wafv2).toHaveReceivedCommandTimes(AssociateWebACLCommand, 1);
    expect(wafv2).toHaveReceivedCommandWith(AssociateWebACLCommand, { WebACLArn: BASELINE, ResourceArn: stageArn });
  });

  it('makes no change to a stage that already has a web ACL', async () => {
    wafv2.on(GetWebACLForResourceCommand).resolves(apiFixture('wafv2-get-web-acl-for-resource'));
    await expect(remediator.apply(finding, { ...WAF_DEFAULTS, webAcl: 'baseline' }, clients, context)).resolves.toEqual({ changed: false });
    expect(wafv2).not.toHaveReceivedCommand(AssociateWebACLCommand);
  });

  it('retries WAFUnavailableEntityException (stage just created) and fails for good on a missing ACL', async () => {
    wafv2
      .on(AssociateWebACLCommand)
      .rejectsOnce(new WAFUnavailableEntityException({ message: 'AWS WAF couldn’t retrieve the resource', $metadata: {} }));
    await expect(remediator.apply(finding, { ...WAF_DEFAULTS, webAcl: 'baseline' }, clients, context)).rejects.toThrow(RetryableRemediationError);
    wafv2.on(AssociateWebACLCommand).rejects(new WAFNonexistentItemException({ message: 'not found', $metadata: {} }));
    await expect(remediator.apply(finding, { ...WAF_DEFAULTS, webAcl: 'baseline' }, clients, context)).rejects.toThrow(FatalRemediationError);
  });

  it('verifies the association', async () => {
    await expect(remediator.verify(finding, { ...WAF_DEFAULTS, webAcl: 'baseline' }, clients, NO_WAIT)).rejects.toThrow(VerificationFailedError);
    wafv2.on(GetWebACLForResourceCommand).resolves(apiFixture('wafv2-get-web-acl-for-resource'));
    await expect(remediator.verify(finding, { ...WAF_DEFAULTS, webAcl: 'baseline' }, clients, NO_WAIT)).resolves.toMatchObject({
      status: 'COMPLIANT',
    });
  });

  it('undoes with DisassociateWebACL while the web ACL Warden associated is still the one there', async () => {
    wafv2.on(GetWebACLForResourceCommand).resolves(apiFixture('wafv2-get-web-acl-for-resource'));
    await remediator.undo({ stageArn, webAclArn: BASELINE }, clients);
    expect(wafv2).toHaveReceivedCommandWith(DisassociateWebACLCommand, { ResourceArn: stageArn });
  });

  it("never takes off a web ACL the owner associated after Warden's fix", async () => {
    const teamAcl = 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/team-acl/9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';
    wafv2.on(GetWebACLForResourceCommand).resolves({
      WebACL: {
        ARN: teamAcl,
        Name: 'team-acl',
        Id: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
        DefaultAction: { Allow: {} },
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'team' },
      },
    });
    await expect(remediator.undo({ stageArn, webAclArn: BASELINE }, clients)).rejects.toMatchObject({
      name: 'UndoRefusedError',
      drift: [{ field: 'web ACL', warden: BASELINE, now: teamAcl }],
    });
    expect(wafv2).not.toHaveReceivedCommand(DisassociateWebACLCommand);
  });
});
