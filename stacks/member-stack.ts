import { CfnParameter } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { StackSetStack } from 'cdk-stacksets';
import type { Construct } from 'constructs';
import type { Policy } from '../core/policy/schema';
import { WardenMember } from './constructs/warden-member';

export interface MemberStackProps {
  readonly policy: Policy;
  readonly hubBusArn: string;
  /** The hub roles that deliver approval decisions and ticket keys. */
  readonly delivererRoleArns: readonly string[];
  /** One bucket per target region, named `${assetBucketPrefix}-<region>`, readable by the organization. */
  readonly assetBuckets: s3.IBucket[];
  readonly assetBucketPrefix: string;
}

/**
 * The template every member account and region gets through the StackSet. It is environment-agnostic:
 * member accounts are not CDK-bootstrapped, so Lambda code comes from the organization-readable asset
 * buckets (cdk-stacksets publishes it there), never from the hub's bootstrap bucket.
 */
export class MemberStack extends StackSetStack {
  readonly member: WardenMember;
  readonly assetBucketNames: readonly string[];

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, { assetBuckets: props.assetBuckets, assetBucketPrefix: props.assetBucketPrefix });
    this.assetBucketNames = props.assetBuckets.map((bucket) => bucket.bucketName);
    const ouPath = new CfnParameter(this, 'OrganizationalUnitPath', {
      type: 'String',
      default: '',
      description: "The account's organizational units, root first, comma-separated (for OU overrides in the policy)",
    });
    this.member = new WardenMember(this, 'Member', {
      policy: props.policy,
      forwardToHubBusArn: props.hubBusArn,
      organizationalUnitPath: ouPath.valueAsString,
      delivererRoleArns: props.delivererRoleArns,
    });
  }
}
