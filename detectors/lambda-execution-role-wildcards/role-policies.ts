import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { allowsAction, principalsOf, statementsOf } from '../../core/aws/resource-policy';
import type { RolePolicy } from './statements';

/* Reading a role's policies from IAM: its trust, its inline policies, and its attached policies' documents. */

export type Iam = Pick<IAMClient, 'send'>;

/** IAM returns policy documents URL-encoded (RFC 3986). */
export function documentText(encoded: string | undefined): string | undefined {
  if (!encoded) return undefined;
  if (encoded.trimStart().startsWith('{')) return encoded;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

const LAMBDA_SERVICES = ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'];

/** Whether a trust policy lets Lambda assume the role. */
export function trustsLambda(trustPolicy: string | undefined): boolean {
  return statementsOf(documentText(trustPolicy)).some(
    (statement) =>
      statement.Effect === 'Allow' &&
      allowsAction(statement, 'sts:AssumeRole') &&
      principalsOf(statement, 'Service').some((service) => LAMBDA_SERVICES.includes(service)),
  );
}

/** Answers that do not change for a while, cached per client (a sweep reads AWSLambdaBasicExecutionRole once, not per role). */
const cached = new WeakMap<Iam, Map<string, { readonly at: number; readonly value: Promise<unknown> }>>();

/** `forMs`: how long a default version id stays true; a policy version's document never changes (Infinity). */
function remembered<T>(iam: Iam, key: string, forMs: number, read: () => Promise<T>): Promise<T> {
  const entries = cached.get(iam) ?? new Map<string, { readonly at: number; readonly value: Promise<unknown> }>();
  cached.set(iam, entries);
  const hit = entries.get(key);
  if (hit && Date.now() - hit.at < forMs) return hit.value as Promise<T>;
  if (entries.size > 500) entries.clear();
  const value = read();
  entries.set(key, { at: Date.now(), value });
  // A failed read is not remembered.
  value.catch(() => entries.delete(key));
  return value;
}

export async function inlinePolicies(iam: Iam, RoleName: string): Promise<RolePolicy[]> {
  const names: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName, ...(Marker ? { Marker } : {}) }));
    names.push(...(page.PolicyNames ?? []));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return Promise.all(
    names.map(async (PolicyName) => {
      const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
      return { policy: `inline:${PolicyName}`, statements: statementsOf(documentText(PolicyDocument)) };
    }),
  );
}

export async function attachedPolicies(iam: Iam, RoleName: string): Promise<RolePolicy[]> {
  const arns: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName, ...(Marker ? { Marker } : {}) }));
    arns.push(...(page.AttachedPolicies ?? []).flatMap(({ PolicyArn }) => (PolicyArn ? [PolicyArn] : [])));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return Promise.all(
    arns.map(async (PolicyArn) => {
      const { Policy } = await remembered(iam, `policy ${PolicyArn}`, 60_000, () => iam.send(new GetPolicyCommand({ PolicyArn })));
      const VersionId = Policy?.DefaultVersionId ?? '';
      // A version's document never changes; a policy deleted and made again under its name has a new id (and starts at v1 again).
      const { PolicyVersion } = await remembered(iam, `version ${PolicyArn} ${Policy?.PolicyId ?? ''} ${VersionId}`, Infinity, () =>
        iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId })),
      );
      return { policy: PolicyArn, statements: statementsOf(documentText(PolicyVersion?.Document)) };
    }),
  );
}
