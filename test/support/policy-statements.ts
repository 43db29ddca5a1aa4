import { type CfnTemplate, resourcesOfType } from './cloud-assembly';
import { type DeploymentTarget, resolveIntrinsics } from './resolve-intrinsics';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatement | PolicyStatement[];
}

export const asList = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as T[])] : [value as T];

/** Where a policy document sits in a template, and what kind of policy it is. */
export interface LocatedPolicy {
  readonly where: string;
  readonly kind: 'identity' | 'resource' | 'trust';
  /** The role (logical id) an identity policy is attached to. */
  readonly roles: readonly string[];
  readonly document: PolicyDocument;
}

const RESOURCE_POLICIES: Readonly<Record<string, string>> = {
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
  'AWS::Events::EventBusPolicy': 'Statement',
};

/** Every IAM policy document of a template, resolved for a deployment target. */
export function policiesOf(name: string, template: CfnTemplate, target: DeploymentTarget): LocatedPolicy[] {
  const resolved = (value: unknown) => resolveIntrinsics(value, template, target) as PolicyDocument;
  const refs = (value: unknown) => asList(value as { Ref?: string } | { Ref?: string }[]).flatMap((entry) => (entry.Ref ? [entry.Ref] : []));
  const policies: LocatedPolicy[] = [];
  for (const [id, resource] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    policies.push({
      where: `${name}/${id}`,
      kind: 'identity',
      roles: refs(resource.Properties?.['Roles']),
      document: resolved(resource.Properties?.['PolicyDocument']),
    });
  }
  for (const [id, resource] of resourcesOfType(template, 'AWS::IAM::Role')) {
    policies.push({
      where: `${name}/${id}#trust`,
      kind: 'trust',
      roles: [id],
      document: resolved(resource.Properties?.['AssumeRolePolicyDocument']),
    });
    for (const inline of asList(resource.Properties?.['Policies'] as { PolicyDocument: unknown }[] | undefined)) {
      policies.push({ where: `${name}/${id}#inline`, kind: 'identity', roles: [id], document: resolved(inline.PolicyDocument) });
    }
  }
  for (const [type, property] of Object.entries(RESOURCE_POLICIES)) {
    for (const [id, resource] of resourcesOfType(template, type)) {
      const body = resource.Properties?.[property];
      if (!body) continue;
      const document = type === 'AWS::Events::EventBusPolicy' ? { Statement: body as PolicyStatement } : body;
      policies.push({ where: `${name}/${id}`, kind: 'resource', roles: [], document: resolved(document) });
    }
  }
  return policies;
}
