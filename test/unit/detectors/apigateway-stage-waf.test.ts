import { APIGatewayClient, GetRestApisCommand, GetStageCommand, GetStagesCommand, NotFoundException } from '@aws-sdk/client-api-gateway';
import { GetWebACLForResourceCommand, WAFNonexistentItemException, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apigatewayStageWafDetector as detector } from '../../../detectors/apigateway-stage-waf';
import { apiFixture } from '../../support/fixtures';

import { apigatewayStageWaf } from '../../../core/catalogue';
import { listedStates } from '../../support/listed';
/** The catalogue's defaults for the check's other settings. */
const WAF_DEFAULTS = apigatewayStageWaf.settings.parse({});

const apigateway = mockClient(APIGatewayClient);
const wafv2 = mockClient(WAFV2Client);
const clients = { apigateway: new APIGatewayClient({ region: 'us-east-1' }), wafv2: new WAFV2Client({ region: 'us-east-1' }) };
const arn = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev';
const ref = { check: 'apigateway-stage-waf' as const, account: '111122223333', region: 'us-east-1', resourceArn: arn };
const settings = { ...WAF_DEFAULTS, webAcl: 'baseline' as const };

beforeEach(() => {
  apigateway.reset();
  wafv2.reset();
  apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-throttled-500'));
});

async function evaluate() {
  const state = await detector.fetch(ref, clients, settings);
  if (!state) throw new Error('expected a state');
  return detector.evaluate(state, settings);
}

describe('apigateway-stage-waf detector', () => {
  it('finds a stage without a web ACL noncompliant, asking WAF with the stage ARN', async () => {
    wafv2.on(GetWebACLForResourceCommand).resolves(apiFixture('wafv2-get-web-acl-for-resource-empty'));
    const evaluation = await evaluate();
    expect(wafv2).toHaveReceivedCommandWith(GetWebACLForResourceCommand, { ResourceArn: arn });
    expect(evaluation).toEqual({
      status: 'NON_COMPLIANT',
      reason: 'stage a1b2c3d4e5/dev has no AWS WAF web ACL',
      evidence: { stage: 'a1b2c3d4e5/dev', webAclArn: null },
    });
  });

  it('accepts a stage with a web ACL', async () => {
    wafv2.on(GetWebACLForResourceCommand).resolves(apiFixture('wafv2-get-web-acl-for-resource'));
    const evaluation = await evaluate();
    expect(evaluation.status).toBe('COMPLIANT');
    expect(evaluation.evidence).toMatchObject({ webAclArn: expect.stringContaining(':regional/webacl/warden-baseline/') });
  });

  it('judges HTTP API stages not applicable', async () => {
    const state = await detector.fetch({ ...ref, resourceArn: 'arn:aws:apigateway:us-east-1::/apis/x1y2z3/stages/prod' }, clients, settings);
    expect(state && (await detector.evaluate(state, settings)).status).toBe('NOT_APPLICABLE');
    expect(wafv2).not.toHaveReceivedCommand(GetWebACLForResourceCommand);
  });

  it('treats a stage deleted before or between the reads as no finding', async () => {
    wafv2.on(GetWebACLForResourceCommand).rejects(new WAFNonexistentItemException({ message: 'not found', $metadata: {} }));
    await expect(detector.fetch(ref, clients, settings)).resolves.toBeUndefined();
    apigateway.on(GetStageCommand).rejects(new NotFoundException({ message: 'Invalid stage identifier specified', $metadata: {} }));
    await expect(detector.fetch(ref, clients, settings)).resolves.toBeUndefined();
  });

  it.each(['AccessDeniedException', 'WAFInternalErrorException'])('propagates %s', async (name) => {
    wafv2.on(GetWebACLForResourceCommand).rejects(Object.assign(new Error(name), { name }));
    await expect(detector.fetch(ref, clients, settings)).rejects.toMatchObject({ name });
  });
});

describe('apigateway-stage-waf sweep', () => {
  it("judges stages from GetStages' webAclArn, and asks WAF only about the stages that name none", async () => {
    apigateway.on(GetRestApisCommand).resolves({ items: [{ id: 'a1b2c3d4e5' }] });
    apigateway.on(GetStagesCommand, { restApiId: 'a1b2c3d4e5' }).resolves({
      item: [apiFixture('apigateway-get-stage-compliant'), { ...apiFixture('apigateway-get-stage-no-method-settings'), stageName: 'prod' }],
    });
    wafv2.on(GetWebACLForResourceCommand).resolves(apiFixture('wafv2-get-web-acl-for-resource-empty'));
    const judged: Record<string, string> = {};
    if (!detector.complete) throw new Error('the WAF check completes listed stages');
    for (const { ref: listed, state } of await listedStates(detector, clients, { account: '111122223333', region: 'us-east-1' })) {
      const completed = await detector.complete(state, listed, clients);
      judged[listed.resourceArn] = (await detector.evaluate(completed!, settings)).status;
    }
    const unprotected = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod';
    expect(judged).toEqual({ 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev': 'COMPLIANT', [unprotected]: 'NON_COMPLIANT' });
    expect(apigateway).not.toHaveReceivedCommand(GetStageCommand);
    expect(wafv2).toHaveReceivedCommandTimes(GetWebACLForResourceCommand, 1);
    expect(wafv2).toHaveReceivedCommandWith(GetWebACLForResourceCommand, { ResourceArn: unprotected });
  });

  it('completes a stage WAF no longer knows as gone (deleted between the two reads)', async () => {
    const stage = { restApiId: 'a1b2c3d4e5', stageName: 'dev', apiType: 'REST' as const, methodSettings: {}, tags: {} };
    wafv2.on(GetWebACLForResourceCommand).rejects(new WAFNonexistentItemException({ message: 'gone', $metadata: {} }));
    await expect(detector.complete!(stage, ref, clients)).resolves.toBeUndefined();
  });
});
