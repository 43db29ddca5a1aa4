import { readFileSync } from 'node:fs';
import { isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { findKnownTokenFormat } from '../secrets/known-token-formats';
import { describeIssues } from './describe-issue';
import { formatPath, PolicyFileError, PolicyInvalidError, type PolicyProblem } from './errors';
import { SECRET_REFERENCE_PATTERN } from './formats';
import { allowedKeysAt } from './schema-keys';
import { type Policy, policySchemas } from './schema';
import { semanticProblems } from './semantic-checks';
import { type PolicyPath, SourceLocator } from './source-locator';

export interface ParsedPolicy {
  readonly policy: Policy;
  /** Problems that do not make the policy invalid, e.g. expired exemptions. */
  readonly warnings: readonly PolicyProblem[];
}

/** Paths of string scalars that hold a recognisable credential, which never belongs in the policy. */
function inlineSecrets(document: ReturnType<typeof parseDocument>): { path: PolicyPath; message: string }[] {
  const found: { path: PolicyPath; message: string }[] = [];
  visit(document, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'string' || SECRET_REFERENCE_PATTERN.test(node.value)) return;
      const format = findKnownTokenFormat(node.value);
      if (!format) return;
      const path: (string | number)[] = [];
      ancestors.forEach((ancestor, index) => {
        const next = ancestors[index + 1] ?? node;
        if ('key' in ancestor && isScalar(ancestor.key) && ancestor.value === next) path.push(String(ancestor.key.value));
        if (isSeq(ancestor)) {
          const position = ancestor.items.indexOf(next);
          if (position >= 0) path.push(position);
        }
      });
      found.push({
        path,
        message: `this value looks like a secret (${format.label}): never write one in the policy; store it in Secrets Manager and write secret:<name>`,
      });
    },
  });
  return found;
}

/**
 * Parses and validates a policy: YAML syntax, the schema derived from the check catalogue, and
 * semantic rules. Throws `PolicyInvalidError` listing every error with file, line and column.
 */
export function parsePolicy(text: string, file: string, now: Date = new Date()): ParsedPolicy {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: PolicyProblem[] = [];
  const at = (position: { line: number; col: number }, path: PolicyPath, message: string, severity: 'error' | 'warning' = 'error') =>
    problems.push({ file, ...position, path: formatPath(path), message, severity });

  for (const error of document.errors) {
    const position = lines.linePos(error.pos[0]);
    at(position, [], `YAML ${error.code === 'DUPLICATE_KEY' ? 'duplicate key' : 'syntax error'}: ${error.message.split('\n')[0]}`);
  }
  if (problems.length > 0) throw new PolicyInvalidError(problems);

  const locator = new SourceLocator(document, lines);
  const data: unknown = document.toJS();
  const secretPaths = new Set<string>();
  for (const secret of inlineSecrets(document)) {
    secretPaths.add(secret.path.join('.'));
    at(locator.value(secret.path), secret.path, secret.message);
  }

  const { policySchema } = policySchemas();
  const result = policySchema.safeParse(data ?? {});
  if (!result.success) {
    const issues = describeIssues(result.error.issues, data, (path) => allowedKeysAt(policySchema, path));
    // An unknown key explains the other complaints about its map (e.g. "expected at least one of ...").
    const withUnknownKeys = new Set(issues.filter((issue) => issue.key !== undefined).map((issue) => issue.path.join('.')));
    for (const issue of issues) {
      const path = issue.path.join('.');
      if (secretPaths.has(path) || (issue.key === undefined && withUnknownKeys.has(path))) continue;
      const position = issue.key === undefined ? locator.value(issue.path) : locator.key(issue.path, issue.key);
      at(position, issue.key === undefined ? issue.path : [...issue.path, issue.key], issue.message);
    }
    throw new PolicyInvalidError(problems.toSorted((a, b) => a.line - b.line || a.col - b.col));
  }

  for (const problem of semanticProblems(result.data, now)) {
    at(locator.value(problem.path), problem.path, problem.message, problem.severity);
  }
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new PolicyInvalidError(problems.toSorted((a, b) => a.line - b.line || a.col - b.col));
  return { policy: result.data, warnings: problems };
}

/** Reads and validates a policy file. */
export function loadPolicyFile(file: string, now: Date = new Date()): ParsedPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PolicyFileError(file, { cause });
  }
  return parsePolicy(text, file, now);
}
