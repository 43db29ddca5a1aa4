import {
  CloudWatchLogsClient,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaLogGroupRetention } from '../../../core/catalogue/lambda-log-group-retention';
import { FatalRemediationError, UndoRefusedError, VerificationFailedError } from '../../../remediators/errors';
import { lambdaLogGroupRetentionRemediator as remediator } from '../../../remediators/lambda-log-group-retention';
import { apiFixture } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const logs = mockClient(CloudWatchLogsClient);
const clients = { logs: new CloudWatchLogsClient({ region: 'us-east-1' }) };
const NAME = '/aws/lambda/checkout';
const ref = {
  check: 'lambda-log-group-retention' as const,
  account: '111122223333',
  region: 'us-east-1',
  resourceArn: `arn:aws:logs:us-east-1:111122223333:log-group:${NAME}`,
};
const finding = findingFor(ref, {
  reason: `log group ${NAME} never expires its events`,
  evidence: { logGroupName: NAME, retentionInDays: null, maxRetentionInDays: 365 },
});
const defaults = lambdaLogGroupRetention.settings.parse({});
const withRetention = (days: number | undefined) => {
  const answer = apiFixture<{ logGroups: Record<string, unknown>[] }>('logs-describe-log-groups-never-expires');
  return { logGroups: [{ ...answer.logGroups[0], ...(days === undefined ? {} : { retentionInDays: days }) }] };
};

beforeEach(() => {
  logs.reset();
  logs.on(DescribeLogGroupsCommand).resolves(withRetention(undefined));
});

describe('lambda-log-group-retention remediator', () => {
  it("plans one PutRetentionPolicy with the policy's days, and says which events are deleted and that undo cannot bring them back", () => {
    const plan = remediator.plan(finding, defaults, {});
    expect(plan.calls).toEqual([{ client: 'CloudWatchLogs', operation: 'PutRetentionPolicy', input: { logGroupName: NAME, retentionInDays: 365 } }]);
    const notes = plan.notes.join(' ');
    expect(notes).toContain('The group now never expires; from the fix on it keeps 365 days');
    expect(notes).toContain('deletes events older than 365 days');
    expect(notes).toContain('undo restores the setting, not those events');
    expect(notes).toContain('must export them');
  });

  it('applies exactly the planned call and records the retention before it, for the undo', async () => {
    const result = await remediator.apply(finding, defaults, clients, {});
    expect(logs).toHaveReceivedCommandTimes(PutRetentionPolicyCommand, 1);
    expect(logs).toHaveReceivedCommandWith(PutRetentionPolicyCommand, remediator.plan(finding, defaults, {}).calls[0]!.input);
    expect(result).toEqual({ changed: true, undo: { logGroupName: NAME, retentionInDays: 365 } });
  });

  it('records a finite retention it shortened, so undo puts it back', async () => {
    logs.on(DescribeLogGroupsCommand).resolves(withRetention(3653));
    const result = await remediator.apply(finding, defaults, clients, {});
    expect(result.undo).toEqual({ logGroupName: NAME, retentionInDays: 365, previousRetentionInDays: 3653 });
  });

  it('changes nothing on a group that is within the policy by now', async () => {
    logs.on(DescribeLogGroupsCommand).resolves(withRetention(30));
    await expect(remediator.apply(finding, defaults, clients, {})).resolves.toEqual({ changed: false });
    expect(logs).not.toHaveReceivedCommand(PutRetentionPolicyCommand);
  });

  it('fails for good when the group is deleted between the read and the fix', async () => {
    logs.on(PutRetentionPolicyCommand).rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} }));
    await expect(remediator.apply(finding, defaults, clients, {})).rejects.toBeInstanceOf(FatalRemediationError);
  });

  it('verifies with the detector: still never expiring is a verification failure', async () => {
    await expect(remediator.verify(finding, defaults, clients, NO_WAIT)).rejects.toBeInstanceOf(VerificationFailedError);
    logs.on(DescribeLogGroupsCommand).resolves(withRetention(365));
    await expect(remediator.verify(finding, defaults, clients, NO_WAIT)).resolves.toMatchObject({ status: 'COMPLIANT' });
  });

  it('undo deletes the retention policy of a group that never expired before, while it is as Warden left it', async () => {
    logs.on(DescribeLogGroupsCommand).resolves(withRetention(365));
    const review = await remediator.undo({ logGroupName: NAME, retentionInDays: 365 }, clients);
    expect(logs).toHaveReceivedCommandWith(DeleteRetentionPolicyCommand, { logGroupName: NAME });
    expect(review.calls).toEqual([{ client: 'CloudWatchLogs', operation: 'DeleteRetentionPolicy', input: { logGroupName: NAME } }]);
    expect(review.notes.join(' ')).toContain('not restored');
  });

  it('undo puts a finite retention back', async () => {
    logs.on(DescribeLogGroupsCommand).resolves(withRetention(365));
    await remediator.undo({ logGroupName: NAME, retentionInDays: 365, previousRetentionInDays: 3653 }, clients);
    expect(logs).toHaveReceivedCommandWith(PutRetentionPolicyCommand, { logGroupName: NAME, retentionInDays: 3653 });
    expect(logs).not.toHaveReceivedCommand(DeleteRetentionPolicyCommand);
  });

  it('undo refuses, and changes nothing, when the owner has set another retention since', async () => {
    logs.on(DescribeLogGroupsCommand).resolves(withRetention(14));
    const undo = remediator.undo({ logGroupName: NAME, retentionInDays: 365 }, clients);
    await expect(undo).rejects.toBeInstanceOf(UndoRefusedError);
    await expect(undo).rejects.toMatchObject({ drift: [{ field: 'retentionInDays', warden: '365', now: '14' }] });
    expect(logs).not.toHaveReceivedCommand(DeleteRetentionPolicyCommand);
    expect(logs).not.toHaveReceivedCommand(PutRetentionPolicyCommand);
  });
});
