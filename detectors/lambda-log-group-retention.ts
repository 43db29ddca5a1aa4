import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { LAMBDA_LOG_PREFIX, logGroupArn, logGroupNameOf } from '../core/catalogue/lambda-log-group-retention';
import type { Evaluation } from '../core/finding';
import type { Detector, FetchedState, Listed } from './detector';

export interface LogGroupState extends FetchedState {
  readonly logGroupName: string;
  /** False for a group outside /aws/lambda/: no function's default group, so not judged (and not read). */
  readonly lambdaGroup: boolean;
  /** Absent: the group never expires its events. */
  readonly retentionInDays?: number;
  /** The account-level retention policy that governs the group (its retentionInDays is then that policy's). */
  readonly accountPolicy?: string;
  /** `DELIVERY` groups keep events a day, whatever is set; `STANDARD` and `INFREQUENT_ACCESS` follow retention. */
  readonly logGroupClass?: string;
}

type LogGroup = { logGroupName?: string; retentionInDays?: number; retentionPolicyName?: string; logGroupClass?: string };

const stateOf = (region: string, account: string, group: LogGroup & { logGroupName: string }): LogGroupState => ({
  resourceArn: logGroupArn(region, account, group.logGroupName),
  logGroupName: group.logGroupName,
  lambdaGroup: true,
  ...(group.retentionInDays !== undefined ? { retentionInDays: group.retentionInDays } : {}),
  ...(group.retentionPolicyName ? { accountPolicy: group.retentionPolicyName } : {}),
  ...(group.logGroupClass ? { logGroupClass: group.logGroupClass } : {}),
  tags: {},
});

/** The group of exactly this name (DescribeLogGroups matches a prefix; names sort, so an exact match comes first). */
export async function describeLogGroup(logs: CloudWatchLogsClient, name: string): Promise<LogGroup | undefined> {
  const { logGroups = [] } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 1 }));
  return logGroups.find((group) => group.logGroupName === name);
}

export const lambdaLogGroupRetentionDetector: Detector<'lambda-log-group-retention', LogGroupState, 'logs'> = {
  check: 'lambda-log-group-retention',

  async fetch(ref, clients) {
    const name = logGroupNameOf(ref.resourceArn);
    if (!name) return undefined;
    if (!name.startsWith(LAMBDA_LOG_PREFIX)) return { resourceArn: ref.resourceArn, logGroupName: name, lambdaGroup: false, tags: {} };
    const group = await describeLogGroup(clients.logs, name);
    return group ? stateOf(ref.region, ref.account, { ...group, logGroupName: name }) : undefined;
  },

  async tagsOf(state, clients) {
    try {
      const { tags } = await clients.logs.send(new ListTagsForResourceCommand({ resourceArn: state.resourceArn }));
      return tags ?? {};
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  },

  // A retention change applies at once (CloudWatch Logs deletes the older events within about 72 hours).
  transitioning: () => false,

  evaluate(state, settings): Promise<Evaluation> {
    if (!state.lambdaGroup)
      return Promise.resolve({
        status: 'NOT_APPLICABLE',
        reason: `log group ${state.logGroupName} is not under ${LAMBDA_LOG_PREFIX}: no function's default log group`,
        evidence: { logGroupName: state.logGroupName },
      });
    if (state.accountPolicy)
      return Promise.resolve({
        status: 'NOT_APPLICABLE',
        reason: `log group ${state.logGroupName} is governed by the account's retention policy ${state.accountPolicy}, which overrides the group's own`,
        evidence: { logGroupName: state.logGroupName, accountPolicy: state.accountPolicy },
      });
    if (state.logGroupClass === 'DELIVERY')
      return Promise.resolve({
        status: 'NOT_APPLICABLE',
        reason: `log group ${state.logGroupName} is a delivery-class group, which keeps events for a day whatever its retention says`,
        evidence: { logGroupName: state.logGroupName, logGroupClass: state.logGroupClass },
      });
    const evidence = {
      logGroupName: state.logGroupName,
      retentionInDays: state.retentionInDays ?? null,
      maxRetentionInDays: settings.retentionInDays,
    };
    if (state.retentionInDays === undefined)
      return Promise.resolve({ status: 'NON_COMPLIANT', reason: `log group ${state.logGroupName} never expires its events`, evidence });
    if (state.retentionInDays > settings.retentionInDays)
      return Promise.resolve({
        status: 'NON_COMPLIANT',
        reason: `log group ${state.logGroupName} keeps events ${state.retentionInDays} days, longer than the policy's ${settings.retentionInDays}`,
        evidence,
      });
    return Promise.resolve({ status: 'COMPLIANT', reason: `log group ${state.logGroupName} keeps events ${state.retentionInDays} days`, evidence });
  },

  async listPage(clients, { account, region }, cursor) {
    const page = await clients.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: LAMBDA_LOG_PREFIX, limit: 50, ...(cursor ? { nextToken: cursor } : {}) }),
    );
    const items = (page.logGroups ?? []).flatMap((group): Listed<LogGroupState>[] => {
      const name = group.logGroupName;
      if (!name) return [];
      const ref = { check: 'lambda-log-group-retention' as const, account, region, resourceArn: logGroupArn(region, account, name) };
      return [{ ref, state: stateOf(region, account, { ...group, logGroupName: name }) }];
    });
    return { items, ...(page.nextToken ? { next: page.nextToken } : {}) };
  },
};
