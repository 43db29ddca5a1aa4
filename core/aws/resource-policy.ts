/*
 * Reading resource policies (queue, topic and function policies) as AWS writes them: Statement may be
 * one object or a list; Principal may be "*", { AWS: ... }, { Service: ... }, each a string or a list.
 * An unreadable policy reads as no statements: it grants nothing a check could rely on.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** The statements of a policy document given as JSON text (or none, for an absent or unreadable one). */
export function statementsOf(policy: string | undefined): PolicyStatement[] {
  if (!policy) return [];
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    return [];
  }
  return list((document as { Statement?: unknown } | null)?.Statement).filter(
    (statement): statement is PolicyStatement => typeof statement === 'object' && statement !== null,
  );
}

/** The values of one kind of principal (`AWS`, `Service`) a statement names; `*` as a whole principal counts as `AWS: *`. */
export function principalsOf(statement: PolicyStatement, kind: 'AWS' | 'Service'): string[] {
  const { Principal } = statement;
  if (Principal === '*') return kind === 'AWS' ? ['*'] : [];
  if (typeof Principal !== 'object' || Principal === null) return [];
  return list((Principal as Record<string, unknown>)[kind]).filter((value): value is string => typeof value === 'string');
}

/** The AWS service principals (`sns.amazonaws.com`) the Allow statements of a policy name, sorted. */
export function servicePrincipalsAllowed(policy: string | undefined): string[] {
  const services = new Set(statementsOf(policy).flatMap((statement) => (statement.Effect === 'Allow' ? principalsOf(statement, 'Service') : [])));
  return [...services].sort();
}

/** Whether a statement's actions include `action` (`sns:Publish`), by exact name or by a `*` pattern, case-insensitively. */
export function allowsAction(statement: PolicyStatement, action: string): boolean {
  return list(statement.Action).some(
    (pattern) =>
      typeof pattern === 'string' && new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`, 'i').test(action),
  );
}
