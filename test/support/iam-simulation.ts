import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { type CfnTemplate, resourcesOfType } from './cloud-assembly';
import { asList, type PolicyDocument, type PolicyStatement, policiesOf } from './policy-statements';
import { type DeploymentTarget, resolveIntrinsics } from './resolve-intrinsics';

/*
 * IAM decisions by @cloud-copilot/iam-simulate (AGPL-3.0, a devDependency for tests only, never bundled),
 * an IAM policy simulator maintained by others: identity and resource policies, KMS key policies, trust
 * policies and cross-account requests, evaluated as AWS documents it.
 */

export interface Decision {
  readonly result: string;
  /** Condition keys the simulator did not evaluate (it skips parameterised keys such as kms:EncryptionContext:<key>). */
  readonly ignoredContextKeys: readonly string[];
  /** True when the simulator could not match the resource to a type of the action (see `simulate`). */
  readonly unvalidatedResource?: boolean;
}

export interface SimulatedRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  readonly identityPolicies: readonly PolicyDocument[];
  readonly resourcePolicy?: PolicyDocument;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

async function runOnce(request: SimulatedRequest): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: { ...request.context },
    },
    identityPolicies: request.identityPolicies.map((policy, index) => ({ name: `policy-${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    // The simulator does not split iam-data's comma-separated ARN formats (API Gateway's Stage and Stages
    // list the v1 and v2 forms in one string), so it finds no resource type for a stage ARN. The policies
    // are then evaluated without that validation; the template layer checks the ARN against the format.
    if (result.errors.message === 'no.resource.types')
      return { result: runUnsafeSimulation(simulation, {}), ignoredContextKeys: [], unvalidatedResource: true };
    throw new Error(`simulation of ${request.action} on ${request.resource} failed: ${JSON.stringify(result.errors)}`);
  }
  const ignored =
    result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((entry) => entry.ignoredContextKeys ?? []);
  return { result: result.overallResult, ignoredContextKeys: ignored };
}

/**
 * The simulator drops context keys it does not model (kms:EncryptionContext:<key>), so a condition on one
 * never matches. Then the request is simulated again without those conditions (and keys), and the caller
 * evaluates them itself with `ignoredConditionsHold` on the original policy.
 */
export async function simulate(request: SimulatedRequest): Promise<Decision> {
  const first = await runOnce(request);
  const ignored = first.ignoredContextKeys;
  if (ignored.length === 0) return first;
  const rerun = await runOnce({
    ...request,
    identityPolicies: request.identityPolicies.map((policy) => withoutConditionsOn(policy, ignored)),
    ...(request.resourcePolicy ? { resourcePolicy: withoutConditionsOn(request.resourcePolicy, ignored) } : {}),
    context: Object.fromEntries(Object.entries(request.context ?? {}).filter(([key]) => !ignored.includes(key))),
  });
  return { ...rerun, ignoredContextKeys: ignored };
}

function withoutConditionsOn(policy: PolicyDocument, keys: readonly string[]): PolicyDocument {
  const strip = (statement: PolicyStatement): PolicyStatement => {
    if (!statement.Condition) return statement;
    const condition = Object.fromEntries(
      Object.entries(statement.Condition)
        .map(([operator, entries]) => [operator, Object.fromEntries(Object.entries(entries).filter(([key]) => !keys.includes(key)))] as const)
        .filter(([, entries]) => Object.keys(entries).length > 0),
    );
    return { ...statement, Condition: condition };
  };
  return { ...policy, Statement: asList(policy.Statement).map(strip) };
}

/** A role of a synthesized template: its ARN in the target, and every identity policy attached to it. */
export interface SynthesizedRole {
  readonly logicalId: string;
  readonly arn: string;
  readonly identityPolicies: PolicyDocument[];
  readonly trustPolicy: PolicyDocument;
}

export function roleOf(file: string, template: CfnTemplate, logicalId: string, target: DeploymentTarget): SynthesizedRole {
  const policies = policiesOf(file, template, target);
  return {
    logicalId,
    arn: String(resolveIntrinsics({ 'Fn::GetAtt': [logicalId, 'Arn'] }, template, target)),
    identityPolicies: policies.filter((policy) => policy.kind === 'identity' && policy.roles.includes(logicalId)).map((policy) => policy.document),
    trustPolicy: policies.find((policy) => policy.kind === 'trust' && policy.roles.includes(logicalId))!.document,
  };
}

/** The role of the function whose construct path ends with `suffix` (e.g. `/Detector-<check>/Function/Resource`). */
export function functionRole(file: string, template: CfnTemplate, suffix: string, target: DeploymentTarget): SynthesizedRole {
  const found = resourcesOfType(template, 'AWS::Lambda::Function').find(([, fn]) => String(fn.Metadata?.['aws:cdk:path']).endsWith(suffix));
  if (!found) throw new Error(`no function ${suffix} in ${file}`);
  const role = found[1].Properties?.['Role'] as { 'Fn::GetAtt': [string, string] };
  return roleOf(file, template, role['Fn::GetAtt'][0], target);
}

/**
 * The test's own evaluation of the conditions the simulator ignores (StringLike/StringEquals on keys it
 * skips), for the statements of `policy` that allow `action` and use those keys: does any of them hold
 * for `context`? With no ignored keys: does any statement allow the action at all?
 */
export function ignoredConditionsHold(
  policy: PolicyDocument,
  action: string,
  ignored: readonly string[],
  context: Readonly<Record<string, string>>,
): boolean {
  const glob = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
  const allows = (statement: PolicyStatement) =>
    statement.Effect === 'Allow' && asList(statement.Action).some((granted) => glob(granted).test(action));
  const usesIgnored = (statement: PolicyStatement) =>
    Object.values(statement.Condition ?? {}).some((conditions) => Object.keys(conditions).some((key) => ignored.includes(key)));
  const relevant = asList(policy.Statement).filter((statement) => allows(statement) && (ignored.length === 0 || usesIgnored(statement)));
  // No statement that allows the action uses a skipped key: the simulator's decision stands on its own.
  if (ignored.length > 0 && relevant.length === 0) return true;
  return relevant.some((statement) =>
    Object.entries(statement.Condition ?? {}).every(([operator, conditions]) =>
      Object.entries(conditions)
        .filter(([key]) => ignored.includes(key))
        .every(([key, expected]) => {
          const actual = context[key];
          if (actual === undefined) return false;
          const values = asList(expected as string | string[]);
          if (operator === 'StringLike') return values.some((value) => glob(value).test(actual));
          if (operator === 'StringEquals') return values.includes(actual);
          throw new Error(`the test does not evaluate ${operator} on ${key}`);
        }),
    ),
  );
}
