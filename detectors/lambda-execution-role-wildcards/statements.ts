import { type PolicyStatement } from '../../core/aws/resource-policy';

/*
 * Judging a role's identity policies: which Allow statements grant a wildcard, or write actions on any
 * resource. Pure: the detector reads the policies, this says what offends.
 */

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

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const strings = (value: unknown): string[] => list(value).filter((entry): entry is string => typeof entry === 'string');

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
