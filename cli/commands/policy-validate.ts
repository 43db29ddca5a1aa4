import { isAbsolute, relative, resolve } from 'node:path';
import { formatProblem, PolicyFileError, PolicyInvalidError } from '../../core/policy/errors';
import { loadPolicyFile } from '../../core/policy/parse-policy';
import { defineCommand, EXIT_FINDINGS, EXIT_OK, InputError } from '../io';

export const DEFAULT_POLICY_FILE = 'config/policy.yaml';

export const policyValidateCommand = defineCommand({
  name: 'policy validate',
  summary: 'check a policy file against the schema and semantic rules',
  usage: '[file] [--json]',
  arguments: ['[file]'],
  description: `Validates a Warden policy (default: ${DEFAULT_POLICY_FILE}): YAML syntax, the schema derived from the
check catalogue, and semantic rules (duplicates, rules that can never match, inline secrets).

Prints one line per problem as file:line:col: path: message; with --json, one object
{ file, valid, summary, errors: [...], warnings: [...] }, each problem with file, line, col, path, message.`,
  flags: { json: { type: 'boolean', description: 'one JSON object: file, valid, summary, errors, warnings' } },
  examples: ['warden policy validate', 'warden policy validate policies/prod.yaml', "warden policy validate --json | jq '.errors[].message'"],
  exitCodes: '0 valid (warnings may be printed), 1 invalid or unreadable, 2 usage error.',
  async run({ positionals, values }, io) {
    const given = positionals[0] ?? DEFAULT_POLICY_FILE;
    const file = isAbsolute(given) ? given : resolve(io.cwd, given);
    const shown = relative(io.cwd, file) || given;
    try {
      const { policy, warnings } = loadPolicyFile(file);
      const checks = Object.keys(policy.checks).length;
      const summary = `${checks} check${checks === 1 ? '' : 's'} configured, ${policy.overrides.length} overrides, ${policy.exemptions.length} exemptions, ${warnings.length} warnings`;
      if (values.json) {
        const shownWarnings = warnings.map((warning) => ({ ...warning, file: shown }));
        io.stdout.write(`${JSON.stringify({ file: shown, valid: true, summary, errors: [], warnings: shownWarnings }, null, 2)}\n`);
        return EXIT_OK;
      }
      for (const warning of warnings) io.stderr.write(`${formatProblem({ ...warning, file: shown })}\n`);
      io.stdout.write(`${shown}: valid policy (${summary})\n`);
      return EXIT_OK;
    } catch (error) {
      if (error instanceof PolicyInvalidError) {
        const problems = error.problems.map((problem) => ({ ...problem, file: shown }));
        if (values.json) {
          const [errors, warnings] = [
            problems.filter((problem) => problem.severity !== 'warning'),
            problems.filter((problem) => problem.severity === 'warning'),
          ];
          io.stdout.write(
            `${JSON.stringify({ file: shown, valid: false, summary: `${errors.length} error${errors.length === 1 ? '' : 's'}`, errors, warnings }, null, 2)}\n`,
          );
          return EXIT_FINDINGS;
        }
        for (const problem of problems) io.stderr.write(`${formatProblem(problem)}\n`);
        return EXIT_FINDINGS;
      }
      if (error instanceof PolicyFileError) throw new InputError(`cannot read policy file ${shown}`, { cause: error });
      throw error;
    }
  },
});
