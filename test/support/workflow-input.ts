import type { Decision, PlanInput, WorkflowStart } from '../../core/workflow-input';

/** What the test remediators plan (the Plan state's default answer in run-workflow.ts). */
export const TEST_PLAN: PlanInput = {
  calls: [{ client: 'DynamoDB', operation: 'UpdateTable', input: { TableName: 'orders', SSESpecification: { Enabled: true, SSEType: 'KMS' } } }],
  notes: [],
};

/** A workflow's input as a detector starts it: without a plan, which the workflow's Plan state makes. */

export function workflowInput(
  decision: Partial<Decision> = {},
  check: WorkflowStart['finding']['check'] = 'dynamodb-table-encryption',
): WorkflowStart {
  return {
    finding: {
      check,
      account: '111122223333',
      region: 'us-east-1',
      resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
      findingId: '0123456789abcdef0123456789abcdef01234567',
      reason: 'table orders is encrypted with the AWS owned key, not a KMS key',
      evidence: { tableName: 'orders', sseType: 'AWS_OWNED' },
      tags: {},
      detectedAt: '2026-11-20T10:00:05.000Z',
      trigger: { kind: 'cloudtrail', id: '7c1f2e3d-4b5a-6978-8a9b-0c1d2e3f4a5b' },
    },
    decision: {
      mode: 'auto',
      dryRun: false,
      exempt: false,
      approvalTimeoutSeconds: 86400,
      maxAutoFixesPerHour: 10,
      decidedBy: 'checks.dynamodb-table-encryption',
      expiredExemptions: [],
      settings: { kmsKey: 'alias/aws/dynamodb', requireCustomerManagedKey: false },
      budget: { window: '2026-11-20T10', expiresAt: 1763639999 },
      ...decision,
    },
  };
}
