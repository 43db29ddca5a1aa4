import { join } from 'node:path';
import type { CommandIo } from '../../cli/io';
import { main } from '../../cli/main';

export const ROOT = join(__dirname, '..', '..');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The questions the CLI asked, when the run had someone to answer. */
  readonly asked?: readonly string[];
}

export interface CliOptions {
  /** The environment the CLI sees (default: none). */
  readonly env?: CommandIo['env'];
  readonly cwd?: string;
  /** What the person at the terminal answers; without it nobody can answer (as in CI). */
  readonly answer?: string;
}

/** The CLI run in-process as bin/warden.ts runs it, its output captured. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const asked: string[] = [];
  const { answer } = options;
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
    ...(answer !== undefined ? { ask: (question: string) => (asked.push(question), Promise.resolve(answer)) } : {}),
  });
  return { code, stdout, stderr, ...(answer !== undefined ? { asked } : {}) };
}
