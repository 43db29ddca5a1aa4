import { WardenError } from '../core/errors';

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Asks the person at the terminal and returns the answer; absent when nobody can answer (CI, pipes). */
  readonly ask?: (question: string) => Promise<string>;
}

export const EXIT_OK = 0;
/** Findings, or invalid input (policy, events, snapshot). */
export const EXIT_FINDINGS = 1;
/** The command line itself is wrong, or the AWS configuration (profile, credentials, region). */
export const EXIT_USAGE = 2;
/** AWS could not be reached, refused the credentials, or denied a call. */
export const EXIT_AWS = 3;

export class CliError extends WardenError {
  override name: string = 'CliError';
}

/** The command line is wrong: unknown command or flag, missing argument. Exit code 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
}

/** A command's input cannot be used (missing file, malformed JSON). Exit code 1. */
export class InputError extends CliError {
  override name = 'InputError';
}

/** One flag of a command, as commander declares it and its help lists it. */
export interface Flag {
  readonly type: 'string' | 'boolean';
  /** The value's name in usage and help (`<ms>`); a string flag's only. */
  readonly value?: string;
  readonly description: string;
}

export type Flags = Readonly<Record<string, Flag>>;

/** What a command's `run` receives for its flags: a boolean is false when absent, a string undefined. */
export type FlagValues<F extends Flags> = { readonly [K in keyof F]: F[K]['type'] extends 'boolean' ? boolean : string | undefined };

export interface CommandInput<F extends Flags> {
  readonly values: FlagValues<F>;
  /** The command's arguments (a policy file, a finding id), as `arguments` declares them. */
  readonly positionals: readonly string[];
}

/** A command: the CLI (cli/program.ts) declares it to commander, which parses, helps and suggests. */
export interface CommandSpec<F extends Flags> {
  /** One word, or a group and a word (`audit query`). */
  readonly name: string;
  readonly summary: string;
  /** What follows `warden <name>` in the usage line, as people type it. */
  readonly usage: string;
  /** Its positional arguments in commander's notation (`[file]`, `<finding-id>`); none when absent. */
  readonly arguments?: readonly string[];
  /** What it does, in paragraphs; the help prints it above the flags. */
  readonly description: string;
  readonly flags: F;
  readonly examples: readonly string[];
  readonly exitCodes: string;
  run(input: CommandInput<F>, io: CommandIo): Promise<number>;
}

export type Command = CommandSpec<Flags>;

/** A command with its flags' types kept for its own `run`, as the one type the CLI's list holds. */
export function defineCommand<const F extends Flags>(spec: CommandSpec<F>): Command {
  return spec;
}

/** ANSI colour when the stream is a terminal and NO_COLOR is unset. */
export function painter(stream: CommandIo['stdout'], env: CommandIo['env']) {
  const enabled = stream.isTTY === true && env['NO_COLOR'] === undefined;
  const wrap = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: wrap(31), green: wrap(32), yellow: wrap(33), cyan: wrap(36), dim: wrap(2), bold: wrap(1) };
}
