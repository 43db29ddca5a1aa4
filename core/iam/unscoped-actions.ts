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
  'xray:GetSamplingRules': 'X-Ray sampling reads (added by Step Functions tracing) have no resource type in IAM',
  'xray:GetSamplingTargets': 'X-Ray sampling reads (added by Step Functions tracing) have no resource type in IAM',
  'logs:CreateLogDelivery': 'Step Functions execution logging: log deliveries have no resource type in IAM',
  'logs:GetLogDelivery': 'Step Functions execution logging: log deliveries have no resource type in IAM',
  'logs:UpdateLogDelivery': 'Step Functions execution logging: log deliveries have no resource type in IAM',
  'logs:DeleteLogDelivery': 'Step Functions execution logging: log deliveries have no resource type in IAM',
  'logs:ListLogDeliveries': 'Step Functions execution logging: log deliveries have no resource type in IAM',
  'logs:PutResourcePolicy': 'Step Functions execution logging: CloudWatch Logs resource policies are account-wide',
  'logs:DescribeResourcePolicies': 'Step Functions execution logging: CloudWatch Logs resource policies are account-wide',
  'states:SendTaskSuccess':
    'task callbacks accept only "*" (no resource type in IAM); the task token itself names the execution, and only the hub holds it',
  'states:SendTaskFailure':
    'task callbacks accept only "*" (no resource type in IAM); the task token itself names the execution, and only the hub holds it',
  'logs:DescribeLogGroups': 'Step Functions execution logging: listing log groups has no resource scope',
};
