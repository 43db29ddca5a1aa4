import { GetRoleCommand, ListRolesCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { partitionOf } from '../../core/aws/arns';
import type { Evaluation } from '../../core/finding';
import { iamHomeRegion, roleNameOf } from '../../core/catalogue/lambda-execution-role-wildcards';
import type { Detector, FetchedState } from '../detector';
import { type LastAccessed, lastAccessed } from './last-accessed';
import { attachedPolicies, inlinePolicies, trustsLambda } from './role-policies';
import { offendingStatements, type RolePolicy } from './statements';

export type { LastAccessed } from './last-accessed';
export type { OffendingStatement } from './statements';

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
