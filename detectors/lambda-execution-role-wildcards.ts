import {
  GenerateServiceLastAccessedDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  NoSuchEntityException,
  type ServiceLastAccessed,
} from '@aws-sdk/client-iam';
import { partitionOf } from '../core/aws/arns';
import { allowsAction, type PolicyStatement, principalsOf, statementsOf } from '../core/aws/resource-policy';
import { awsErrorName } from '../core/errors';
import type { Evaluation } from '../core/finding';
import { iamHomeRegion, roleNameOf } from '../core/catalogue/lambda-execution-role-wildcards';
import type { Detector, FetchedState } from './detector';

type Iam = Pick<IAMClient, 'send'>;

/** A policy of the role: `inline:<name>` or the attached policy's ARN, with its statements. */
export interface RolePolicy {
  readonly policy: string;
  readonly statements: readonly IamStatement[];
}

/** An identity policy statement: a resource policy's fields, and the negations identity policies use. */
export interface IamStatement extends PolicyStatement {
  readonly NotAction?: unknown;
  readonly NotResource?: unknown;
}

/** A statement that grants more than a function needs, and why. */
export interface OffendingStatement {
  readonly policy: string;
  readonly sid?: string;
  /** The actions (or NotAction) that make it offend, at most 20. */
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly why: string;
  /** Its Condition keys: a condition narrows a grant, it does not make a wildcard least privilege. */
  readonly conditions?: readonly string[];
}

/** What the role used, from IAM's last-accessed data (tracked for up to 400 days), or why it is missing. */
export type LastAccessed =
  | {
      readonly status: 'COMPLETED';
      /** `actions`: those IAM tracks for the service (management actions, not data reads and writes), as used. */
      readonly used: readonly { readonly service: string; readonly lastUsed: string; readonly actions?: readonly string[] }[];
      readonly neverUsed: readonly string[];
    }
  | { readonly status: 'UNAVAILABLE'; readonly why: string };

export interface ExecutionRoleState extends FetchedState {
  readonly roleName: string;
  /** False outside IAM's home region: the role is judged there, once. */
  readonly homeRegion: boolean;
  /** Whether Lambda may assume the role (its trust policy allows lambda.amazonaws.com or edgelambda.amazonaws.com). */
  readonly lambdaTrusted: boolean;
  readonly policies: readonly RolePolicy[];
  readonly permissionsBoundary?: string;
  readonly lastAccessed?: LastAccessed;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const strings = (value: unknown): string[] => list(value).filter((entry): entry is string => typeof entry === 'string');

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

/** Verbs of actions that only read; the Service Authorization Reference's access levels agree (a test holds it). */
const READ_VERB = /^(Get|List|Describe|BatchGet|Head|View|Lookup|Search|Query|Scan|Select)/i;
/** Read-named actions that hand out credentials, tokens or access: write-like, whatever their verb. */
const VENDING =
  /(Credential|Token|Password|AccessDetails|Presigned|LoginUrl|LoginPage|SessionEndpoint|DataAccess|ActivityTask|UploadUrl|DownloadUrl|^GetId$)/i;

/**
 * Whether an action (or pattern) only reads; IAM's action names are case-insensitive. A pattern reads only when everything it can match is a List
 * or Describe: `s3:Get*` matches credential-vending Get actions elsewhere, so a pattern is judged strictly.
 */
export function isReadAction(action: string): boolean {
  const name = action.split(':')[1] ?? '';
  if (name.includes('*')) return /^(List|Describe)[A-Za-z]*\*$/i.test(name);
  return READ_VERB.test(name) && !VENDING.test(name);
}

const NAMED = 20;

/** `*`, `arn:*`, or an ARN whose resource part is all wildcard (`arn:aws:s3:::*`, `arn:aws:sqs:*:*:*`): every resource of its kind. */
function isAnyResource(resource: string): boolean {
  return resource === '*' || /^arn:\*$/.test(resource) || /^arn:[^:]+:[^:]+:[^:]*:[^:]*:\*$/.test(resource);
}

/** The Allow statements of the role's policies that grant a wildcard, or write actions on any resource. */
export function offendingStatements(policies: readonly RolePolicy[], allowedOnAnyResource: readonly string[]): OffendingStatement[] {
  const allowed = new Set(allowedOnAnyResource.map((action) => action.toLowerCase()));
  return policies.flatMap(({ policy, statements }) =>
    statements.flatMap((statement): OffendingStatement[] => {
      if (statement.Effect !== 'Allow') return [];
      const resources = statement.NotResource !== undefined ? strings(statement.NotResource).map((r) => `not ${r}`) : strings(statement.Resource);
      const anyResource = statement.NotResource !== undefined || resources.some(isAnyResource);
      const on = resources.join(', ');
      const conditions = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
      const base = {
        policy,
        ...(statement.Sid ? { sid: statement.Sid } : {}),
        resources,
        ...(conditions.length > 0 ? { conditions } : {}),
      };
      if (statement.NotAction !== undefined) {
        const except = strings(statement.NotAction);
        return [{ ...base, actions: except.slice(0, NAMED), why: `allows every action except ${except.join(', ')} (NotAction) on ${on}` }];
      }
      const actions = strings(statement.Action);
      const wildcards = actions.filter((action) => action === '*' || /^[^:]+:\*$/.test(action));
      if (wildcards.length > 0) {
        const what = wildcards.map((action) => (action === '*' ? 'every action (*)' : `every ${action.split(':')[0]} action (${action})`));
        return [{ ...base, actions: wildcards.slice(0, NAMED), why: `allows ${what.join(' and ')} on ${on}` }];
      }
      if (!anyResource) return [];
      const writes = actions.filter((action) => !isReadAction(action) && !allowed.has(action.toLowerCase()));
      if (writes.length === 0) return [];
      const named = writes.slice(0, 5).join(', ') + (writes.length > 5 ? ', …' : '');
      return [{ ...base, actions: writes.slice(0, NAMED), why: `allows write actions on any resource (${on}): ${named}` }];
    }),
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

async function inlinePolicies(iam: Iam, RoleName: string): Promise<RolePolicy[]> {
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

async function attachedPolicies(iam: Iam, RoleName: string): Promise<RolePolicy[]> {
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

/** How long to wait between reads of a last-accessed job (IAM usually finishes in seconds): about 10 s in all. */
const POLL_MS = [200, 400, 800, 1600, 2000, 2000, 3000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NAMED_SERVICES = 50;

function summarise(services: readonly ServiceLastAccessed[]): LastAccessed {
  const used = services
    .filter((service) => service.LastAuthenticated)
    .map((service) => {
      const actions = (service.TrackedActionsLastAccessed ?? []).flatMap(({ ActionName, LastAccessedTime }) =>
        ActionName && LastAccessedTime ? [`${service.ServiceNamespace}:${ActionName}`] : [],
      );
      return {
        service: service.ServiceNamespace ?? '',
        lastUsed: new Date(service.LastAuthenticated ?? 0).toISOString().slice(0, 10),
        ...(actions.length > 0 ? { actions: actions.sort() } : {}),
      };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
  const neverUsed = services.flatMap((service) => (!service.LastAuthenticated && service.ServiceNamespace ? [service.ServiceNamespace] : [])).sort();
  return { status: 'COMPLETED', used: used.slice(0, NAMED_SERVICES), neverUsed: neverUsed.slice(0, NAMED_SERVICES) };
}

/**
 * The services (and, where IAM tracks them, the actions) the role used, for the ticket's starting policy.
 * Only context for people: the verdict never depends on it, so IAM's refusal (no permission, a job that does
 * not finish in time, an emulator that does not model it) is named in the finding instead of failing it.
 */
export async function lastAccessed(iam: Iam, Arn: string): Promise<LastAccessed> {
  try {
    const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn, Granularity: 'ACTION_LEVEL' }));
    if (!JobId) return { status: 'UNAVAILABLE', why: 'IAM started no job' };
    for (const wait of POLL_MS) {
      await sleep(wait);
      const services: ServiceLastAccessed[] = [];
      let Marker: string | undefined;
      let status: string | undefined;
      do {
        const page = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, MaxItems: 1000, ...(Marker ? { Marker } : {}) }));
        status = page.JobStatus;
        if (status !== 'COMPLETED') break;
        services.push(...(page.ServicesLastAccessed ?? []));
        Marker = page.IsTruncated ? page.Marker : undefined;
      } while (Marker);
      if (status === 'COMPLETED') return summarise(services);
      if (status === 'FAILED') return { status: 'UNAVAILABLE', why: 'IAM could not build the last-accessed report' };
    }
    return { status: 'UNAVAILABLE', why: `IAM had not finished the last-accessed report after ${POLL_MS.reduce((a, b) => a + b, 0) / 1000} s` };
  } catch (error) {
    // IAM's answers only (they carry $metadata): a fault of Warden's own still fails the detection.
    if (typeof error !== 'object' || error === null || !('$metadata' in error)) throw error;
    return { status: 'UNAVAILABLE', why: `IAM refused the last-accessed report (${awsErrorName(error) ?? 'error'})` };
  }
}

export const lambdaExecutionRoleWildcardsDetector: Detector<'lambda-execution-role-wildcards', ExecutionRoleState, 'iam'> = {
  check: 'lambda-execution-role-wildcards',

  async fetch(ref, clients, settings) {
    const roleName = roleNameOf(ref.resourceArn);
    if (!roleName) return undefined;
    const empty = { resourceArn: ref.resourceArn, roleName, lambdaTrusted: false, policies: [], tags: {} };
    if (ref.region !== iamHomeRegion(partitionOf(ref.region))) return { ...empty, homeRegion: false };
    let role;
    try {
      ({ Role: role } = await clients.iam.send(new GetRoleCommand({ RoleName: roleName })));
    } catch (error) {
      if (error instanceof NoSuchEntityException) return undefined;
      throw error;
    }
    if (!role) return undefined;
    const base = {
      ...empty,
      ...(role.Arn ? { resourceArn: role.Arn } : {}),
      homeRegion: true,
      tags: Object.fromEntries((role.Tags ?? []).flatMap(({ Key, Value }) => (Key ? [[Key, Value ?? '']] : []))),
      ...(role.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundary: role.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    };
    if (!trustsLambda(role.AssumeRolePolicyDocument)) return base;
    // A policy removed while it is read fails the read (NoSuchEntity): judged again by the retry, never half-read.
    const policies = [...(await inlinePolicies(clients.iam, roleName)), ...(await attachedPolicies(clients.iam, roleName))];
    const state = { ...base, lambdaTrusted: true, policies };
    // Only a role that offends needs what it used: the ticket's starting policy.
    if (offendingStatements(policies, settings.allowedOnAnyResource).length === 0) return state;
    return { ...state, lastAccessed: await lastAccessed(clients.iam, base.resourceArn) };
  },

  // Policies apply as soon as IAM has them (within seconds, everywhere).
  transitioning: () => false,

  evaluate(state, settings): Promise<Evaluation> {
    const evidence = { roleName: state.roleName };
    if (!state.homeRegion)
      return Promise.resolve({
        status: 'NOT_APPLICABLE',
        reason: `role ${state.roleName} is global: it is judged in IAM's home region, not here`,
        evidence,
      });
    if (!state.lambdaTrusted)
      return Promise.resolve({ status: 'NOT_APPLICABLE', reason: `Lambda cannot assume role ${state.roleName}: it is no execution role`, evidence });
    const offending = offendingStatements(state.policies, settings.allowedOnAnyResource);
    const judged = {
      ...evidence,
      policies: state.policies.map(({ policy }) => policy),
      ...(state.permissionsBoundary ? { permissionsBoundary: state.permissionsBoundary } : {}),
    };
    if (offending.length === 0)
      return Promise.resolve({
        status: 'COMPLIANT',
        reason: `execution role ${state.roleName} grants no wildcard and no write on any resource`,
        evidence: judged,
      });
    return Promise.resolve({
      status: 'NON_COMPLIANT',
      reason: `execution role ${state.roleName}: ${offending
        .slice(0, 3)
        .map((statement) => `${statement.policy}${statement.sid ? ` (${statement.sid})` : ''} ${statement.why}`)
        .join('; ')}${offending.length > 3 ? `; and ${offending.length - 3} more` : ''}`,
      evidence: {
        ...judged,
        offendingCount: offending.length,
        offending: offending.slice(0, 25),
        ...(state.lastAccessed ? { lastAccessed: state.lastAccessed } : {}),
      },
    });
  },

  async listPage(clients, { account, region }, cursor) {
    // Roles are global: IAM's home region lists them all, once; other regions have none of their own.
    if (region !== iamHomeRegion(partitionOf(region))) return { items: [] };
    const page = await clients.iam.send(new ListRolesCommand({ MaxItems: 100, ...(cursor ? { Marker: cursor } : {}) }));
    const items = (page.Roles ?? []).flatMap(({ Arn, AssumeRolePolicyDocument }) =>
      Arn && trustsLambda(AssumeRolePolicyDocument)
        ? [{ ref: { check: 'lambda-execution-role-wildcards' as const, account, region, resourceArn: Arn } }]
        : [],
    );
    return { items, ...(page.IsTruncated && page.Marker ? { next: page.Marker } : {}) };
  },
};
