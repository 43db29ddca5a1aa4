import { WardenError } from '../errors';

/** One located problem in a policy file. Positions are 1-based, as editors show them. */
export interface PolicyProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted path of the offending key, e.g. `checks.<check-id>.mode`; empty for the document. */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** `exemptions[0].expires` from `['exemptions', 0, 'expires']`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

export function formatProblem(problem: PolicyProblem): string {
  const where = problem.path ? `${problem.path}: ` : '';
  const level = problem.severity === 'warning' ? 'warning: ' : '';
  return `${problem.file}:${problem.line}:${problem.col}: ${level}${where}${problem.message}`;
}

export class PolicyError extends WardenError {
  override name: string = 'PolicyError';
}

/** The file could not be read. */
export class PolicyFileError extends PolicyError {
  override name = 'PolicyFileError';
  constructor(
    readonly file: string,
    options: { cause: unknown },
  ) {
    super(`cannot read policy file ${file}`, options);
  }
}

/** The file was read but is not a valid policy; `problems` lists every error with its position. */
export class PolicyInvalidError extends PolicyError {
  override name = 'PolicyInvalidError';
  constructor(readonly problems: readonly PolicyProblem[]) {
    const errors = problems.filter((problem) => problem.severity === 'error');
    super(`invalid policy: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n${errors.map(formatProblem).join('\n')}`);
  }
}
