import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ConditionBlock, PermissionStatement } from '../../core/catalogue';

/** An ARN template filled with this stack's partition, region and account. */
export function filledTemplate(template: string): string {
  return template.replaceAll('{partition}', Aws.PARTITION).replaceAll('{region}', Aws.REGION).replaceAll('{account}', Aws.ACCOUNT_ID);
}

/** A condition block with the templates in its values filled. */
export function filledConditions(conditions: ConditionBlock): Record<string, Record<string, string | string[]>> {
  return Object.fromEntries(
    Object.entries(conditions).map(([operator, keys]) => [
      operator,
      Object.fromEntries(
        Object.entries(keys).map(([key, value]) => [key, typeof value === 'string' ? filledTemplate(value) : value.map(filledTemplate)]),
      ),
    ]),
  );
}

/** The catalogue's statements as IAM statements, ARN templates filled with this stack's partition, region and account. */
export function catalogueStatements(statements: readonly PermissionStatement[]): iam.PolicyStatement[] {
  return statements.map(
    (statement) =>
      new iam.PolicyStatement({
        actions: [...statement.actions],
        resources: statement.resources.map(filledTemplate),
        ...(statement.conditions ? { conditions: filledConditions(statement.conditions) } : {}),
      }),
  );
}
