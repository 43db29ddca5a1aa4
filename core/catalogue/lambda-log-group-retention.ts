import { partitionOf } from '../aws/arns';
import { RETENTION_DAYS } from '../aws/log-retention';
import type { CloudTrailResources } from '../events/cloudtrail-resources';
import type { CheckDefinition } from './types';
import { lazy } from '../policy/zod';

const LOG_GROUP = 'arn:{partition}:logs:{region}:{account}:log-group:*';

/** Where Lambda writes a function's logs unless its LoggingConfig names another group. */
export const LAMBDA_LOG_PREFIX = '/aws/lambda/';

/** `/aws/lambda/orders` in us-east-1 → `arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/orders` (no `:*`). */
export function logGroupArn(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:logs:${region}:${account}:log-group:${name}`;
}

/** The log group's name from its ARN, with or without the `:*` CloudWatch Logs appends to `arn`. */
export function logGroupNameOf(arn: string): string | undefined {
  const match = /^arn:[^:]+:logs:[^:]+:\d{12}:log-group:(.+?)(:\*)?$/.exec(arn);
  return match?.[1];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * CloudWatch Logs: the group a call created or changed. Every group is named, so a call on a group that is
 * no function's is judged not applicable (with no API call) rather than refused as malformed.
 */
const logGroups: CloudTrailResources = ({ request, region, account }) => {
  const name = str(request['logGroupName']);
  return name ? [logGroupArn(region, account, name)] : [];
};

const DEFAULTS = { retentionInDays: 365 as const };

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) =>
  z
    .strictObject({
      retentionInDays: z
        .literal(RETENTION_DAYS)
        .default(DEFAULTS.retentionInDays)
        .describe(
          'The longest a function log group may keep its events, in days, and what the fix sets (one of the periods CloudWatch Logs accepts). ' +
            'A group that never expires, or keeps events longer, is noncompliant. The fix deletes events older than this: undo restores the setting, not them.',
        ),
    })
    .describe('Lambda log group retention settings'),
);

export const lambdaLogGroupRetention = {
  id: 'lambda-log-group-retention',
  title: 'Lambda log groups expire their events',
  noncompliantWhen:
    "a function's log group (under /aws/lambda/, where Lambda writes unless the function's LoggingConfig names another) never expires its events, or keeps them longer than the policy's retentionInDays",
  fix: "PutRetentionPolicy with the policy's retentionInDays (events older than that are deleted); undo restores the previous retention (or none) if the group is still as Warden left it",
  resourceType: 'AWS::Logs::LogGroup',
  // Lambda creates a function's group at its first invocation, with the function's role: that CreateLogGroup is recorded.
  cloudTrail: [
    { eventSource: 'logs.amazonaws.com', eventNames: ['CreateLogGroup', 'PutRetentionPolicy', 'DeleteRetentionPolicy'], resources: logGroups },
  ],
  configResourceType: 'AWS::Logs::LogGroup',
  clients: { detect: ['logs'], remediate: ['logs'] },
  permissions: {
    detect: [
      { actions: ['logs:ListTagsForResource'], resources: [LOG_GROUP] },
      // DescribeLogGroups has no resource-level permission.
      { actions: ['logs:DescribeLogGroups'], resources: ['*'] },
    ],
    remediate: [
      { actions: ['logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy'], resources: [LOG_GROUP] },
      { actions: ['logs:DescribeLogGroups'], resources: ['*'] },
    ],
  },
  iacHint: {
    cloudFormation: 'AWS::Logs::LogGroup RetentionInDays (declare the log group of the function in the template)',
    cdk: 'lambda.Function logGroup: new logs.LogGroup(this, …, { retention: logs.RetentionDays.ONE_YEAR })',
  },
  physicalId: (resourceArn: string) => logGroupNameOf(resourceArn),
  defaultMode: 'auto',
  severity: 'low',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
