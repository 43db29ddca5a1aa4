import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { PermissionStatement } from '../../core/catalogue';

/** The catalogue's statements as IAM statements, ARN templates filled with this stack's partition, region and account. */
export function catalogueStatements(statements: readonly PermissionStatement[]): iam.PolicyStatement[] {
  return statements.map(
    (statement) =>
      new iam.PolicyStatement({
        actions: [...statement.actions],
        resources: statement.resources.map((resource) =>
          resource.replaceAll('{partition}', Aws.PARTITION).replaceAll('{region}', Aws.REGION).replaceAll('{account}', Aws.ACCOUNT_ID),
        ),
        ...(statement.conditions ? { conditions: statement.conditions } : {}),
      }),
  );
}
