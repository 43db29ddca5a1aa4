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

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full help text: usage, flags, examples, exit codes. */
  readonly help: string;
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** ANSI colour when the stream is a terminal and NO_COLOR is unset. */
export function painter(stream: CommandIo['stdout'], env: CommandIo['env']) {
  const enabled = stream.isTTY === true && env['NO_COLOR'] === undefined;
  const wrap = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: wrap(31), green: wrap(32), yellow: wrap(33), cyan: wrap(36), dim: wrap(2), bold: wrap(1) };
}
