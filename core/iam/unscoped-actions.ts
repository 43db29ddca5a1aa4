/**
 * The only actions Warden grants on `Resource: "*"`: each has no resource-level permissions in IAM
 * (see the Service Authorization Reference), so a narrower resource would deny the call. Stacks and
 * meta-tests read this list; adding an entry needs the reason.
 */
export const UNSCOPED_ACTIONS: Readonly<Record<string, string>> = {
  'dynamodb:ListTables': 'lists table names in the account and region; no resource type in IAM',
  'lambda:ListFunctions': 'lists functions in the account and region; no resource type in IAM',
  'xray:PutTraceSegments': 'X-Ray tracing writes have no resource type in IAM',
  'xray:PutTelemetryRecords': 'X-Ray tracing writes have no resource type in IAM',
  'cloudwatch:PutMetricData': 'metric data has no resource type; the stacks restrict it with a cloudwatch:namespace condition',
};
