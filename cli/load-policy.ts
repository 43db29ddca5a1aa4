import { formatProblem, PolicyFileError, PolicyInvalidError } from '../core/policy/errors';
import { loadPolicyFile } from '../core/policy/parse-policy';
import type { Policy } from '../core/policy/schema';
import { type CommandIo, InputError } from './io';

/** Loads a policy for a command: located problems on stderr, then one clear error (exit 1). */
export function loadPolicyForCommand(file: string, shown: string, io: CommandIo): Policy {
  try {
    return loadPolicyFile(file).policy;
  } catch (error) {
    if (error instanceof PolicyInvalidError) {
      for (const problem of error.problems.filter((entry) => entry.severity === 'error')) io.stderr.write(`${formatProblem(problem)}\n`);
      throw new InputError(`policy ${shown} is invalid`, { cause: error });
    }
    if (error instanceof PolicyFileError) throw new InputError(`cannot read policy file ${shown}`, { cause: error });
    throw error;
  }
}
