import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../core/errors';
import { didYouMean } from '../core/text/did-you-mean';
import { checksCommand } from './commands/checks';
import { snapshotRecordCommand } from './commands/snapshot-record';
import { policyValidateCommand } from './commands/policy-validate';
import { auditQueryCommand, auditVerifyCommand } from './commands/audit';
import { scanCommand } from './commands/scan';
import { undoCommand } from './commands/undo';
import { simulateCommand } from './commands/simulate';
import { AwsAccessError, AwsConfigurationError, explainAwsError } from './aws-errors';
import { type Command, type CommandIo, EXIT_AWS, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './io';

const COMMANDS: readonly Command[] = [
  policyValidateCommand,
  simulateCommand,
  scanCommand,
  checksCommand,
  snapshotRecordCommand,
  auditQueryCommand,
  auditVerifyCommand,
  undoCommand,
];

/** Warden's version, as its package.json says. */
function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The commands of a group (`audit` → `audit query`, `audit verify`), for `warden <group> --help`. */
function groupHelp(group: string): string | undefined {
  const members = COMMANDS.filter((command) => command.name.startsWith(`${group} `));
  if (members.length === 0) return undefined;
  const width = Math.max(...members.map((command) => command.name.length));
  return `Usage: warden ${group} <command> [flags]

Commands:
${members.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Run 'warden ${group} <command> --help' for a command's flags and examples.
`;
}

/** What the person probably meant by an unknown command: the closest command, or group, by edit distance. */
function suggestion(args: readonly string[]): string {
  const names = [...new Set(COMMANDS.flatMap((command) => [command.name, command.name.split(' ')[0] ?? '']))];
  const typed = args.slice(0, 2).join(' ');
  const guess = didYouMean(typed, names) ?? didYouMean(args[0] ?? '', names);
  return guess ? ` (did you mean '${guess}'?)` : '';
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: warden <command> [flags]

Warden: event-driven auto-remediation for serverless security on AWS.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Run 'warden <command> --help' for a command's flags and examples, 'warden --version' for the version.
Add --debug to any command for stack traces.

Exit codes: 0 ok, 1 findings or invalid input, 2 usage or AWS configuration error, 3 AWS access error.
`;
}

/** Picks the command whose (possibly two-word) name starts the arguments. */
function findCommand(args: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, index) => args[index] === word)) return { command, rest: args.slice(words.length) };
  }
  return undefined;
}

/** The stack of an error and of each `cause` under it. */
function debugTrace(error: unknown): string {
  const lines: string[] = [];
  for (let current: unknown = error; current !== undefined; current = current instanceof Error ? current.cause : undefined) {
    lines.push(current instanceof Error ? (current.stack ?? current.message) : errorMessage(current));
  }
  return `${lines.join('\ncaused by: ')}\n`;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((arg) => arg !== '--debug');
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    io.stdout.write(overview());
    return args.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  if (args[0] === '--version' || args[0] === '-V') {
    io.stdout.write(`warden ${version()} (Node.js ${process.versions.node})\n`);
    return EXIT_OK;
  }
  const found = findCommand(args);
  if (!found) {
    const group = groupHelp(args[0] ?? '');
    if (group) {
      const asked = args.length === 1 || args[1] === '--help' || args[1] === '-h';
      (asked ? io.stdout : io.stderr).write(asked ? group : `warden: unknown command '${args.join(' ')}'${suggestion(args)}\n\n${group}`);
      return asked && args.length > 1 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr.write(`warden: unknown command '${args.join(' ')}'${suggestion(args)}\n\n${overview()}`);
    return EXIT_USAGE;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout.write(`${found.command.help}\n`);
    return EXIT_OK;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (error) {
    // One line, that says what to do; the trace only with --debug.
    const explained = explainAwsError(error, hintsOf(found.rest, io.env)) ?? error;
    const usage = explained instanceof UsageError ? ` (usage: 'warden ${found.command.name} --help')` : '';
    io.stderr.write(`warden ${found.command.name}: ${errorMessage(explained)}${usage}\n`);
    if (debug) io.stderr.write(debugTrace(error));
    if (explained instanceof UsageError || explained instanceof AwsConfigurationError) return EXIT_USAGE;
    return explained instanceof AwsAccessError ? EXIT_AWS : EXIT_FINDINGS;
  }
}

/** What a command was told that an AWS error's explanation names: its table, region and request timeout. */
function hintsOf(args: readonly string[], env: CommandIo['env']): { table?: string; region?: string; requestTimeoutMs?: number } {
  const flag = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const table = flag('table') ?? env['WARDEN_AUDIT_TABLE'];
  const region = flag('region') ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  const timeout = Number(flag('request-timeout') ?? 10_000);
  return { ...(table ? { table } : {}), ...(region ? { region } : {}), ...(Number.isFinite(timeout) ? { requestTimeoutMs: timeout } : {}) };
}
