import { APIGatewayClient, GetRestApisCommand, GetStageCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { MalformedEventError } from '../../../core/events/errors';
import { parsePolicy } from '../../../core/policy/parse-policy';
import { apigatewayStageThrottlingDetector } from '../../../detectors/apigateway-stage-throttling';
import { SWEEP_INCOMPLETE_ERROR } from '../../../detectors/errors';
import { handleDetectorEvent } from '../../../detectors/handle-event';
import type { SweepProgress } from '../../../detectors/sweep';
import { SWEEP_STEP_KEY } from '../../../detectors/sweep-step';
import { detectionDeps } from '../../support/detection-deps';
import { apiFixture } from '../../support/fixtures';

const apigateway = mockClient(APIGatewayClient);
const NOW = new Date('2026-11-20T10:00:05Z');
const CHECK = 'apigateway-stage-throttling';
const POLICY = parsePolicy(`version: 1\nchecks: { ${CHECK}: { mode: report } }\n`, 'policy.yaml', NOW).policy;
const COMPLIANT = apiFixture<Record<string, unknown>>('apigateway-get-stage-compliant');
const UNTHROTTLED = apiFixture<Record<string, unknown>>('apigateway-get-stage-no-method-settings');

/** Three pages of REST APIs, one API each, with one stage each: compliant, unthrottled, compliant. */
function threePages(): void {
  apigateway.on(GetRestApisCommand).resolves({ items: [{ id: 'api1' }], position: 'p2' });
  apigateway.on(GetRestApisCommand, { position: 'p2' }).resolves({ items: [{ id: 'api2' }], position: 'p3' });
  apigateway.on(GetRestApisCommand, { position: 'p3' }).resolves({ items: [{ id: 'api3' }] });
  apigateway.on(GetStagesCommand, { restApiId: 'api1' }).resolves({ item: [COMPLIANT] });
  apigateway.on(GetStagesCommand, { restApiId: 'api2' }).resolves({ item: [UNTHROTTLED] });
  apigateway.on(GetStagesCommand, { restApiId: 'api3' }).resolves({ item: [COMPLIANT] });
}

const deps = (another?: (slowestPageMs: number) => boolean) =>
  detectionDeps(apigatewayStageThrottlingDetector, { apigateway: new APIGatewayClient({ region: 'us-east-1' }) }, POLICY, {
    now: NOW,
    ...(another ? { overrides: { another } } : {}),
  });

const step = (progress: Partial<SweepProgress>) => ({ [SWEEP_STEP_KEY]: { check: CHECK, cursor: null, outcomes: {}, ...progress } });

beforeEach(() => apigateway.reset());

describe('a sweep step', () => {
  it('judges pages while there is time for another, then hands on where the next step starts', async () => {
    threePages();
    const asked: number[] = [];
    const { deps: withTwoPages, started } = deps((slowest) => {
      asked.push(slowest);
      return asked.length < 2;
    });
    await expect(handleDetectorEvent(step({}), withTwoPages)).resolves.toEqual({
      check: CHECK,
      cursor: 'p3',
      outcomes: { compliant: 1, started: 1 },
      done: false,
    });
    expect(asked).toHaveLength(2);
    expect(asked.every((ms) => ms >= 0)).toBe(true);
    expect(started.map((input) => input.finding.resourceArn)).toEqual(['arn:aws:apigateway:us-east-1::/restapis/api2/stages/dev']);
    expect(apigateway).toHaveReceivedCommandTimes(GetRestApisCommand, 2);
    expect(apigateway).not.toHaveReceivedCommand(GetStageCommand);
  });

  it("resumes at the step's cursor, adds to the outcomes so far, and is done after the last page", async () => {
    threePages();
    const { deps: unhurried, lines } = deps(() => true);
    await expect(handleDetectorEvent(step({ cursor: 'p3', outcomes: { compliant: 1, started: 1 } }), unhurried)).resolves.toEqual({
      check: CHECK,
      cursor: null,
      outcomes: { compliant: 2, started: 1 },
      done: true,
    });
    expect(apigateway).toHaveReceivedCommandTimes(GetRestApisCommand, 1);
    expect(apigateway).toHaveReceivedCommandWith(GetRestApisCommand, { position: 'p3' });
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'sweep finished', attributes: expect.objectContaining({ compliant: 2, started: 1 }) }),
    );
  });

  it('fails the last step, by its literal name, when a resource of any step could not be judged', async () => {
    apigateway.on(GetRestApisCommand).resolves({ items: [{ id: 'api1' }] });
    apigateway.on(GetStagesCommand).resolves({ item: [COMPLIANT] });
    const { deps: last } = deps(() => true);
    await expect(handleDetectorEvent(step({ outcomes: { failed: 2 } }), last)).rejects.toMatchObject({
      name: SWEEP_INCOMPLETE_ERROR,
      message: `sweep of ${CHECK} in 111122223333/us-east-1: 2 resources failed`,
    });
  });

  it('lets a failed list call propagate, so the workflow retries the step from the same cursor', async () => {
    apigateway.on(GetRestApisCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const { deps: throttled } = deps(() => true);
    await expect(handleDetectorEvent(step({ cursor: 'p2' }), throttled)).rejects.toMatchObject({ name: 'TooManyRequestsException' });
  });

  it.each([
    [
      'another check',
      { check: 'apigateway-stage-waf' },
      "check: apigateway-stage-waf is swept by its own detector, not apigateway-stage-throttling's",
    ],
    ['an unknown check', { check: 'nope' }, 'check: expected a check id'],
    ['an empty cursor', { cursor: '' }, 'cursor: expected a string or null'],
    ['an unknown outcome', { outcomes: { fixed: 1 } }, 'outcomes: fixed is not an outcome'],
    ['a negative count', { outcomes: { compliant: -1 } }, 'outcomes.compliant: expected a count'],
    ['a finished sweep', { done: true }, 'done: a finished sweep has no next step'],
  ])('refuses %s, logged and counted, without a call', async (_, progress, problem) => {
    const { deps: refusing, lines, counts } = deps(() => true);
    await expect(handleDetectorEvent(step(progress as never), refusing)).rejects.toThrow(MalformedEventError);
    await expect(handleDetectorEvent(step(progress as never), refusing)).rejects.toThrow(`${SWEEP_STEP_KEY}: ${problem}`);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'malformed event' }));
    expect(counts['MalformedEvent']).toBe(2);
    expect(apigateway.calls()).toHaveLength(0);
  });
});

describe('paging', () => {
  it('refuses a list that answers with the cursor it was given, rather than paging forever', async () => {
    apigateway.on(GetRestApisCommand).resolves({ items: [], position: 'p2' });
    const { deps: looping } = deps(() => true);
    await expect(handleDetectorEvent(step({ cursor: 'p2' }), looping)).rejects.toThrow(`${CHECK}: the list answered with the cursor it was given`);
  });
});
