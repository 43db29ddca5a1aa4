import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PermissionStatement } from '../../core/catalogue';
import { UNSCOPED_ACTIONS } from '../../core/iam/unscoped-actions';

/** How cdk-nag prints a catalogue ARN template in its finding ids. */
function nagForm(template: string): string {
  return template.replaceAll('{partition}', '<AWS::Partition>').replaceAll('{region}', '<AWS::Region>').replaceAll('{account}', '<AWS::AccountId>');
}

/**
 * Acknowledges, on one function's role, exactly the wildcard resources its catalogue statements name,
 * each with the reason; and `Resource: *` only for actions listed in core/iam/unscoped-actions.ts.
 */
export function acknowledgeCatalogueWildcards(scope: IConstruct, check: string, statements: readonly PermissionStatement[]): void {
  const acknowledged = new Set<string>();
  for (const statement of statements) {
    for (const resource of statement.resources) {
      if (!resource.includes('*') || resource === '*' || acknowledged.has(resource)) continue;
      acknowledged.add(resource);
      Validations.of(scope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagForm(resource)}]`,
        reason: `${check} judges every resource of its type in the account and region, so ${statement.actions.join(', ')} apply to all of them; the actions are the catalogue's exact list, never a service wildcard`,
      });
    }
  }
  acknowledgeUnscoped(scope);
}

/** `Resource: *` for actions without resource-level permissions (X-Ray, list calls, log deliveries). */
export function acknowledgeUnscoped(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `only actions without resource-level permissions get Resource "*": the catalogue's list calls (checked against the Service Authorization Reference by a test) and ${Object.keys(UNSCOPED_ACTIONS).join(', ')} (reasons in core/iam/unscoped-actions.ts)`,
  });
}

/** A detector's read of the stacks of its account and region: any of them may own the resource it judges. */
export const STACK_READS_RESOURCE = 'arn:{partition}:cloudformation:{region}:{account}:stack/*/*';

export function acknowledgeStackReads(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagForm(STACK_READS_RESOURCE)}]`,
    reason:
      'a finding names the stack that manages its resource (its next deploy reverts a fix): DescribeStackResource(s) only, on the stacks of this account and region, whichever owns the resource',
  });
}
