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
