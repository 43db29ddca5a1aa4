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

// A reader that stops early (`warden checks | head`) closes the pipe: that is the end, not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });

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
