import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../core/errors';
import { checksCommand } from './commands/checks';
import { snapshotRecordCommand } from './commands/snapshot-record';
import { policyValidateCommand } from './commands/policy-validate';
import { auditQueryCommand, auditVerifyCommand } from './commands/audit';
import { scanCommand } from './commands/scan';
import { undoCommand } from './commands/undo';
import { simulateCommand } from './commands/simulate';
import { AwsAccessError, AwsConfigurationError, explainAwsError } from './aws-errors';
import { type Command, type CommandIo, EXIT_AWS, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './io';
import { helpOf, type Refusal, runProgram } from './program';

/** Every command, in the order the overview lists them. */
export const COMMANDS: readonly Command[] = [
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

/** commander's refusal of a command line, as the CLI says it: help and version exit 0, the rest one line and 2. */
async function refuse(refusal: Refusal, io: CommandIo): Promise<number> {
  // Help or the version, asked for; or a group named alone (`warden audit`), whose commands commander has shown on stderr.
  if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(refusal.code)) return refusal.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  const prefix = refusal.command ? `warden ${refusal.command}` : 'warden';
  if (refusal.code === 'commander.unknownCommand') {
    const help = await helpOf(COMMANDS, io, version(), refusal.command || undefined);
    io.stderr.write(`${prefix}: ${refusal.message}\n\n${help}`);
  } else io.stderr.write(`${prefix}: ${refusal.message} (usage: '${prefix} --help')\n`);
  return EXIT_USAGE;
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
  if (args.length === 0) {
    io.stdout.write(await helpOf(COMMANDS, io, version()));
    return EXIT_USAGE;
  }
  const outcome = await runProgram(args, COMMANDS, io, version());
  if ('refused' in outcome) return refuse(outcome.refused, io);
  if ('ran' in outcome) return outcome.code;
  const { failed: command, error } = outcome;
  // One line, that says what to do; the trace only with --debug.
  const explained = explainAwsError(error, hintsOf(args, io.env)) ?? error;
  const usage = explained instanceof UsageError ? ` (usage: 'warden ${command.name} --help')` : '';
  io.stderr.write(`warden ${command.name}: ${errorMessage(explained)}${usage}\n`);
  if (debug) io.stderr.write(debugTrace(error));
  if (explained instanceof UsageError || explained instanceof AwsConfigurationError) return EXIT_USAGE;
  return explained instanceof AwsAccessError ? EXIT_AWS : EXIT_FINDINGS;
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
