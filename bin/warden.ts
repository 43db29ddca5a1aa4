import { createInterface } from 'node:readline/promises';
import { main } from '../cli/main';

/** A question at the terminal; only when both ends are one, so a script or CI is never left waiting. */
async function ask(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

const interactive = process.stdin.isTTY && process.stderr.isTTY;
main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  ...(interactive ? { ask } : {}),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`warden: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
