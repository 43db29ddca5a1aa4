import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Capability, DeploymentType, RegionConcurrencyType, StackSet, StackSetTarget, StackSetTemplate } from 'cdk-stacksets';
import type { Construct } from 'constructs';
import type { Policy } from '../core/policy/schema';
import { assetBucketPrefix } from './assets-stack';
import { WardenHub } from './constructs/warden-hub';
import { MemberStack } from './member-stack';

export type Deployment = NonNullable<Policy['deployment']> & { organizationId: string };

/**
 * The hub, in the security or delegated-administrator account: the organization-only event bus, the
 * audit trail, the approvals table, and the service-managed StackSet that puts the member template into
 * every account of the target OUs (and every new account that joins them) in every target region.
 */
export class HubStack extends Stack {
  readonly hub: WardenHub;
  readonly memberStack: MemberStack;
  readonly stackSet: StackSet;

  constructor(scope: Construct, id: string, props: StackProps & { policy: Policy; deployment: Deployment }) {
    super(scope, id, { description: 'Warden hub: organization event bus, audit trail, approvals, member StackSet', ...props });
    const { deployment } = props;
    this.hub = new WardenHub(this, 'Hub', { policy: props.policy, organizationId: deployment.organizationId });
    const prefix = assetBucketPrefix(deployment.hubAccount);
    this.memberStack = new MemberStack(this, 'MemberTemplate', {
      policy: props.policy,
      hubBusArn: this.hub.bus.eventBusArn,
      delivererRoleArns: this.hub.delivererRoleNames.map((name) => `arn:${this.partition}:iam::${deployment.hubAccount}:role/${name}`),
      assetBucketPrefix: prefix,
      assetBuckets: deployment.regions.map((region) => s3.Bucket.fromBucketName(this, `Assets-${region}`, `${prefix}-${region}`)),
    });
    this.stackSet = new StackSet(this, 'MemberStackSet', {
      stackSetName: 'warden-member',
      description: 'Warden member: detectors, remediators and the remediation workflow',
      template: StackSetTemplate.fromStackSetStack(this.memberStack),
      deploymentType: DeploymentType.serviceManaged({ delegatedAdmin: true, autoDeployEnabled: true, autoDeployRetainStacks: false }),
      capabilities: [Capability.NAMED_IAM],
      managedExecution: true,
      operationPreferences: {
        regionConcurrencyType: RegionConcurrencyType.PARALLEL,
        maxConcurrentPercentage: deployment.maxConcurrentPercentage,
        failureTolerancePercentage: deployment.failureTolerancePercentage,
      },
    });
    // One target per OU, so each account learns the OU it was deployed through (for OU overrides).
    for (const ou of deployment.organizationalUnits) {
      this.stackSet.addTarget(
        StackSetTarget.fromOrganizationalUnits({
          regions: [...deployment.regions],
          organizationalUnits: [ou],
          parameterOverrides: { OrganizationalUnitPath: ou },
        }),
      );
    }
    // Member delivery roles trust the hub roles by ARN: those must exist before any stack instance.
    for (const role of this.hub.delivererRoles) this.stackSet.node.addDependency(role);
    this.acknowledgeAssetPublisher();
  }

  /** cdk-stacksets publishes the member template's code with CDK's BucketDeployment singleton. */
  private acknowledgeAssetPublisher(): void {
    const publisher = this.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!publisher) return;
    const why =
      "CDK's BucketDeployment (used by cdk-stacksets) copies the member template's Lambda code from the hub's bootstrap bucket into the per-region asset buckets";
    for (const id of [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-L1',
    ]) {
      Validations.of(publisher).acknowledge({ id, reason: `${why}; its role and runtime are managed by aws-cdk-lib` });
    }
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      Validations.of(publisher).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${why}: CDK's action group, scoped to those buckets only`,
      });
    }
    const buckets = [`cdk-hnb659fds-assets-${this.account}-${this.region}`, ...this.memberStack.assetBucketNames];
    for (const bucket of buckets) {
      Validations.of(publisher).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucket}/*]`,
        reason: `${why}: objects of that one bucket`,
      });
    }
  }
}
