import { type CloudFormationClient, DescribeStackResourceCommand, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { awsErrorName } from '../core/errors';
import type { ManagedBy } from '../core/finding';

/** The tags CloudFormation puts on the resources a stack creates. */
const STACK_NAME_TAG = 'aws:cloudformation:stack-name';
const LOGICAL_ID_TAG = 'aws:cloudformation:logical-id';

/** The stack a resource's own tags name, as far as the tags tell (`cloudformation`: they cannot say CDK). */
export function managedByFromTags(tags: Readonly<Record<string, string>>): ManagedBy | undefined {
  const stack = tags[STACK_NAME_TAG];
  const logicalId = tags[LOGICAL_ID_TAG];
  return stack && logicalId ? { tool: 'cloudformation', stack, logicalId } : undefined;
}

/** CloudFormation's answer for a stack or resource it does not have. */
const notInAStack = (error: unknown) => awsErrorName(error) === 'ValidationError';

/**
 * Finds the stack that manages a resource: from its tags, else by its physical id, and says `cdk` when
 * the stack's resource carries CDK's metadata (`aws:cdk:path`). Read-only: DescribeStackResource(s).
 */
export class StackLookup {
  constructor(private readonly cloudformation: CloudFormationClient) {}

  async managedBy(tags: Readonly<Record<string, string>>, physicalId: string | undefined): Promise<ManagedBy | undefined> {
    const tagged = managedByFromTags(tags) ?? (physicalId ? await this.byPhysicalId(physicalId) : undefined);
    if (!tagged) return undefined;
    try {
      const { StackResourceDetail } = await this.cloudformation.send(
        new DescribeStackResourceCommand({ StackName: tagged.stack, LogicalResourceId: tagged.logicalId }),
      );
      return StackResourceDetail?.Metadata?.includes('aws:cdk:path') ? { ...tagged, tool: 'cdk' } : tagged;
    } catch (error) {
      // The tags outlived their stack (deleted, or the resource was retained): no stack will revert a fix.
      if (notInAStack(error)) return undefined;
      throw error;
    }
  }

  private async byPhysicalId(physicalId: string): Promise<ManagedBy | undefined> {
    try {
      const { StackResources = [] } = await this.cloudformation.send(new DescribeStackResourcesCommand({ PhysicalResourceId: physicalId }));
      // The answer may hold the whole stack the resource belongs to: only its own entry names it.
      const resource = StackResources.find((entry) => entry.PhysicalResourceId === physicalId);
      return resource?.StackName && resource.LogicalResourceId
        ? { tool: 'cloudformation', stack: resource.StackName, logicalId: resource.LogicalResourceId }
        : undefined;
    } catch (error) {
      if (notInAStack(error)) return undefined;
      throw error;
    }
  }
}
