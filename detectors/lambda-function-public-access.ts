import { GetPolicyCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { type PolicyStatement, principalsOf, statementsOf } from '../core/aws/resource-policy';
import type { Evaluation } from '../core/finding';
import type { Detector, FetchedState } from './detector';
import { functionTags, listFunctionRefs } from './lambda-functions';

/** What AddPermission needs to put a removed statement back, exactly. */
export interface RecordedPermission {
  readonly StatementId: string;
  readonly Action: string;
  readonly Principal: string;
}

export interface OpenStatement {
  readonly sid: string;
  readonly principal: string;
  readonly action: string;
  /** Why it is open: `anyone`, `any account's <service> resource`, or `account <id> outside the organization`. */
  readonly why: string;
  /** The AddPermission input that restores it; absent when AddPermission cannot express it (the fix then refuses). */
  readonly restore?: RecordedPermission;
}

export interface FunctionPolicyState extends FetchedState {
  readonly functionArn: string;
  readonly functionName: string;
  /** The policy's revision, so a removal applies only to the policy as it was read. */
  readonly revisionId?: string;
  readonly statements: readonly PolicyStatement[];
}

/** Condition keys that tie a grant to one source or to the organization (compared case-insensitively, as IAM does). */
const RESTRICTING = ['aws:sourcearn', 'aws:sourceaccount', 'aws:principalorgid', 'aws:sourceorgid', 'lambda:eventsourcetoken'];

const conditionKeys = (statement: PolicyStatement) =>
  Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block).map((key) => key.toLowerCase()));

/** The account a principal names (`123456789012`, `arn:aws:iam::123456789012:root`, a role ARN). */
const accountOf = (principal: string) => /^(\d{12})$/.exec(principal)?.[1] ?? /^arn:[^:]+:iam::(\d{12}):/.exec(principal)?.[1];

/** The statements of the policy that open the function, each with why, and how to put it back. */
export function openStatements(statements: readonly PolicyStatement[], ownAccount: string, trusted: readonly string[]): OpenStatement[] {
  return statements.flatMap((statement): OpenStatement[] => {
    if (statement.Effect !== 'Allow') return [];
    const keys = conditionKeys(statement);
    if (keys.some((key) => RESTRICTING.includes(key))) return [];
    // A function URL's statement for anyone: the function URL check judges those (its AuthType).
    if (keys.includes('lambda:functionurlauthtype')) return [];
    const sid = statement.Sid ?? '';
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    const action = actions.filter((value): value is string => typeof value === 'string').join(', ');
    const found: { principal: string; why: string }[] = [
      ...principalsOf(statement, 'AWS').flatMap((principal) => {
        if (principal === '*') return [{ principal, why: 'anyone' }];
        const account = accountOf(principal);
        return account && account !== ownAccount && !trusted.includes(account)
          ? [{ principal, why: `account ${account} outside the organization` }]
          : [];
      }),
      ...principalsOf(statement, 'Service').map((principal) => ({ principal, why: `any account's ${principal} resource` })),
    ];
    const principals = found.length;
    return found.map(({ principal, why }) => {
      // AddPermission recreates a statement of one action and one principal, with no condition: anything else is not put back exactly.
      const restorable = sid !== '' && actions.length === 1 && principals === 1 && keys.length === 0;
      return { sid, principal, action, why, ...(restorable ? { restore: { StatementId: sid, Action: action, Principal: principal } } : {}) };
    });
  });
}

export const lambdaFunctionPublicAccessDetector: Detector<'lambda-function-public-access', FunctionPolicyState, 'lambda'> = {
  check: 'lambda-function-public-access',

  async fetch(ref, clients) {
    const functionName = ref.resourceArn.split(':function:')[1] ?? '';
    try {
      const { Policy, RevisionId } = await clients.lambda.send(new GetPolicyCommand({ FunctionName: ref.resourceArn }));
      return {
        resourceArn: ref.resourceArn,
        functionArn: ref.resourceArn,
        functionName,
        ...(RevisionId ? { revisionId: RevisionId } : {}),
        statements: statementsOf(Policy),
        tags: {},
      };
    } catch (error) {
      // Lambda answers so both for a function with no policy and for one that is gone: neither grants anything.
      if (error instanceof ResourceNotFoundException)
        return { resourceArn: ref.resourceArn, functionArn: ref.resourceArn, functionName, statements: [], tags: {} };
      throw error;
    }
  },

  tagsOf: (state, clients) => functionTags(clients.lambda, state.functionArn),

  transitioning: () => false,

  evaluate(state, settings): Promise<Evaluation> {
    const account = state.functionArn.split(':')[4] ?? '';
    const open = openStatements(state.statements, account, settings.trustedAccounts);
    const evidence = {
      functionName: state.functionName,
      ...(state.revisionId ? { revisionId: state.revisionId } : {}),
      statements: state.statements.length,
      openStatements: open,
    };
    if (open.length === 0)
      return Promise.resolve({
        status: 'COMPLIANT',
        reason: `the resource policy of ${state.functionName} grants no one outside its sources and accounts`,
        evidence,
      });
    return Promise.resolve({
      status: 'NON_COMPLIANT',
      reason: `the resource policy of ${state.functionName} lets ${open.map((statement) => `${statement.why} ${statement.action} (${statement.sid})`).join('; ')}`,
      evidence,
    });
  },

  listPage: (clients, scope, cursor) => listFunctionRefs(clients.lambda, 'lambda-function-public-access', scope, cursor),
};
