import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Policy } from '../core/policy/schema';
import { WardenHub } from './constructs/warden-hub';
import { WardenMember } from './constructs/warden-member';

/** Hub and member in one account: the first thing a new user deploys. */
export class StandaloneStack extends Stack {
  readonly hub: WardenHub;
  readonly member: WardenMember;

  constructor(scope: Construct, id: string, props: StackProps & { policy: Policy }) {
    super(scope, id, { description: 'Warden standalone: event-driven auto-remediation in one account', ...props });
    this.hub = new WardenHub(this, 'Hub', { policy: props.policy });
    this.member = new WardenMember(this, 'Member', {
      policy: props.policy,
      eventBusArn: this.hub.bus.eventBusArn,
      organizationalUnitPath: '',
      delivererRoleArns: this.hub.delivererRoles.map((role) => role.roleArn),
    });
  }
}
