import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Policy } from '../core/policy/schema';
import { AssetsStack } from './assets-stack';
import { HubStack } from './hub-stack';
import { StandaloneStack } from './standalone-stack';

export interface WardenStacks {
  readonly standalone: StandaloneStack;
  readonly assets: readonly AssetsStack[];
  readonly hub?: HubStack;
  /** Why the organization stacks were not defined, if they were not. */
  readonly skipped?: string;
}

/** Defines every Warden stack for a validated policy, with cdk-nag's AWS Solutions checks. */
export function defineWardenStacks(app: App, policy: Policy): WardenStacks {
  const standalone = new StandaloneStack(app, 'Warden-Standalone', { policy });
  const deployment = policy.deployment;
  let result: WardenStacks = { standalone, assets: [], skipped: 'the policy has no deployment section' };
  if (deployment?.organizationId) {
    const organizationId = deployment.organizationId;
    const assets = deployment.regions.map(
      (region) => new AssetsStack(app, `Warden-Assets-${region}`, { hubAccount: deployment.hubAccount, region, organizationId }),
    );
    const hub = new HubStack(app, 'Warden-Hub', {
      env: { account: deployment.hubAccount, region: deployment.regions[0] },
      policy,
      deployment: { ...deployment, organizationId },
    });
    result = { standalone, assets, hub };
  } else if (deployment) {
    result = {
      standalone,
      assets: [],
      skipped: 'deployment.organizationId is required to deploy to an organization (it restricts the hub bus and the code buckets)',
    };
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return result;
}
