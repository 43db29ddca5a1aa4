import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaLogGroupRetention, logGroupNameOf } from '../../../core/catalogue/lambda-log-group-retention';
import { lambdaLogGroupRetentionDetector as detector } from '../../../detectors/lambda-log-group-retention';
import { apiFixture } from '../../support/fixtures';
import { listedStates } from '../../support/listed';

const logs = mockClient(CloudWatchLogsClient);
const clients = { logs: new CloudWatchLogsClient({ region: 'us-east-1' }) };
const GROUP_ARN = 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/checkout';
const ref = { check: 'lambda-log-group-retention' as const, account: '111122223333', region: 'us-east-1', resourceArn: GROUP_ARN };
const defaults = lambdaLogGroupRetention.settings.parse({});

beforeEach(() => logs.reset());

async function judge(fixture: string | object, settings = defaults) {
  logs.on(DescribeLogGroupsCommand).resolves(typeof fixture === 'string' ? apiFixture(fixture) : fixture);
  const state = await detector.fetch(ref, clients, settings);
  if (!state) throw new Error('expected a state');
  return { state, evaluation: await detector.evaluate(state, settings) };
}

describe('lambda-log-group-retention detector', () => {
  it('finds a group that never expires noncompliant, reading exactly that group', async () => {
    const { state, evaluation } = await judge('logs-describe-log-groups-never-expires');
    expect(evaluation).toMatchObject({
      status: 'NON_COMPLIANT',
      reason: 'log group /aws/lambda/checkout never expires its events',
      evidence: { logGroupName: '/aws/lambda/checkout', retentionInDays: null, maxRetentionInDays: 365 },
    });
    expect(state).toMatchObject({ resourceArn: GROUP_ARN, lambdaGroup: true });
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/lambda/checkout', limit: 1 });
  });

  it("finds a group that keeps events longer than the policy's maximum noncompliant", async () => {
    const { evaluation } = await judge('logs-describe-log-groups-3653-days');
    expect(evaluation.status).toBe('NON_COMPLIANT');
    expect(evaluation.reason).toContain('3653 days, longer than the policy');
  });

  it('accepts a group within the maximum, and the same group under a stricter policy is noncompliant', async () => {
    expect((await judge('logs-describe-log-groups-30-days')).evaluation.status).toBe('COMPLIANT');
    const strict = lambdaLogGroupRetention.settings.parse({ retentionInDays: 14 });
    expect((await judge('logs-describe-log-groups-30-days', strict)).evaluation.status).toBe('NON_COMPLIANT');
  });

  it('rejects a retention CloudWatch Logs does not accept, at policy validation', () => {
    expect(lambdaLogGroupRetention.settings.safeParse({ retentionInDays: 100 }).success).toBe(false);
  });

  it("judges a group outside /aws/lambda/ not applicable without reading it (another service's group)", async () => {
    const other = { ...ref, resourceArn: 'arn:aws:logs:us-east-1:111122223333:log-group:/ecs/orders' };
    const state = await detector.fetch(other, clients, defaults);
    expect((await detector.evaluate(state!, defaults)).status).toBe('NOT_APPLICABLE');
    expect(logs).not.toHaveReceivedAnyCommand();
  });

  it.each([
    [
      "governed by the account's retention policy",
      { retentionPolicyName: 'org-logs-90-days', retentionInDays: 90 },
      /account's retention policy org-logs-90-days/,
    ],
    ['of the delivery class', { logGroupClass: 'DELIVERY' }, /delivery-class group/],
  ])('judges a group %s not applicable: its own retention setting would change nothing', async (_label, fields, why) => {
    const answer = apiFixture<{ logGroups: Record<string, unknown>[] }>('logs-describe-log-groups-never-expires');
    const { evaluation } = await judge({ logGroups: [{ ...answer.logGroups[0], ...fields }] });
    expect(evaluation.status).toBe('NOT_APPLICABLE');
    expect(evaluation.reason).toMatch(why);
  });

  it('reports a deleted group as gone, not as a finding', async () => {
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    await expect(detector.fetch(ref, clients, defaults)).resolves.toBeUndefined();
  });

  it('does not take a longer name with the same prefix for the group', async () => {
    const longer = apiFixture<{ logGroups: { logGroupName: string }[] }>('logs-describe-log-groups-never-expires');
    longer.logGroups[0]!.logGroupName = '/aws/lambda/checkout-v2';
    logs.on(DescribeLogGroupsCommand).resolves(longer);
    await expect(detector.fetch(ref, clients, defaults)).resolves.toBeUndefined();
  });

  it('lets access denied through, to be logged and counted by detection', async () => {
    logs
      .on(DescribeLogGroupsCommand)
      .rejects(Object.assign(new Error('not authorized to perform: logs:DescribeLogGroups'), { name: 'AccessDeniedException' }));
    await expect(detector.fetch(ref, clients, defaults)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('reads tags only when asked (for a finding), and a gone group has none', async () => {
    logs.on(ListTagsForResourceCommand).resolves(apiFixture('logs-list-tags-for-resource'));
    const { state } = await judge('logs-describe-log-groups-never-expires');
    expect(logs).not.toHaveReceivedCommand(ListTagsForResourceCommand);
    await expect(detector.tagsOf!(state, clients)).resolves.toEqual({ team: 'payments' });
    expect(logs).toHaveReceivedCommandWith(ListTagsForResourceCommand, { resourceArn: GROUP_ARN });
    logs.on(ListTagsForResourceCommand).rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} }));
    await expect(detector.tagsOf!(state, clients)).resolves.toBeUndefined();
  });

  it("sweeps the /aws/lambda/ groups page by page, each judged from the list's answer", async () => {
    const page = apiFixture<{ logGroups: object[] }>('logs-describe-log-groups-never-expires');
    const second = apiFixture<{ logGroups: object[] }>('logs-describe-log-groups-30-days');
    logs
      .on(DescribeLogGroupsCommand)
      .resolvesOnce({ ...page, nextToken: 'page-2' })
      .resolvesOnce({ logGroups: [{ ...second.logGroups[0], logGroupName: '/aws/lambda/reports' }] });
    const states = await listedStates(detector, clients, { account: '111122223333', region: 'us-east-1' });
    expect(states.map((listed) => [listed.ref.resourceArn, listed.state?.retentionInDays])).toEqual([
      [GROUP_ARN, undefined],
      ['arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/reports', 30],
    ]);
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/lambda/', limit: 50, nextToken: 'page-2' });
  });
});

describe('logGroupNameOf', () => {
  it.each([
    ['arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/checkout', '/aws/lambda/checkout'],
    ['arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/checkout:*', '/aws/lambda/checkout'],
    ['arn:aws-cn:logs:cn-north-1:111122223333:log-group:/aws/lambda/a.b_c-d/e#f', '/aws/lambda/a.b_c-d/e#f'],
  ])('%s → %s', (arn, name) => {
    expect(logGroupNameOf(arn)).toBe(name);
  });

  it('names no group for an ARN of something else', () => {
    expect(logGroupNameOf('arn:aws:sqs:us-east-1:111122223333:orders')).toBeUndefined();
  });
});
