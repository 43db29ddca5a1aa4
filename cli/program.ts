import { Command as Commander, CommanderError, Option } from 'commander';
import type { Command, CommandIo, FlagValues, Flags } from './io';

/** How a command line ended without running a command (help, version, a usage error), as commander said it. */
export interface Refusal {
  /** The command it was for: `scan`, `audit query`, `audit`, or '' for warden itself. */
  readonly command: string;
  /** commander's code: `commander.unknownOption`, `commander.helpDisplayed`… */
  readonly code: string;
  /** commander's exit code: 0 for help asked for and the version, 1 for the rest. */
  readonly exitCode: number;
  /** One line, with commander's suggestion folded in: `unknown option '--jsn' (did you mean '--json'?)`. */
  readonly message: string;
}

/** What running a command line came to: a command's exit code or its error, or commander's refusal. */
export type Outcome =
  { readonly ran: Command; readonly code: number } | { readonly failed: Command; readonly error: unknown } | { readonly refused: Refusal };

const OVERVIEW_AFTER = `
Run 'warden <command> --help' for a command's flags and examples, 'warden --version' for the version.
Add --debug to any command for stack traces.

Exit codes: 0 ok, 1 findings or invalid input, 2 usage or AWS configuration error, 3 AWS access error.`;

/** commander's error text (`error: unknown option '--jsn'\n(Did you mean --json?)`) as one line. */
function oneLine(text: string): string {
  return text
    .trim()
    .replace(/^error: /, '')
    .replace(
      /\s*\(Did you mean (?:one of )?([^)]*)\?\)$/,
      (_all, names: string) =>
        ` (did you mean ${names
          .split(', ')
          .map((name) => `'${name}'`)
          .join(' or ')}?)`,
    )
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '');
}

/** Paragraphs as single lines, for commander to wrap at the terminal's width. */
function reflowed(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' '))
    .join('\n\n');
}

/** What the overview says of a group: its one command's summary, or its commands. */
function groupSummary(group: string, members: readonly Command[]): string {
  const words = members.map((member) => member.name.slice(group.length + 1));
  return members.length === 1 ? `${words[0] ?? ''}: ${members[0]?.summary ?? ''}` : `${words.join(', ')} ('warden ${group} --help')`;
}

/** The flags' values by their names on the command line (commander keys them in camel case), booleans false when absent. */
function valuesOf(command: Commander, flags: Flags): FlagValues<Flags> {
  const parsed = command.opts<Record<string, unknown>>();
  const byName = new Map(command.options.map((option) => [option.long?.slice(2) ?? '', option.attributeName()]));
  return Object.fromEntries(
    Object.entries(flags).map(([name, flag]) => {
      const value = parsed[byName.get(name) ?? name];
      return [name, flag.type === 'boolean' ? value === true : typeof value === 'string' ? value : undefined];
    }),
  ) as FlagValues<Flags>;
}

/** The usage line, help and flag parsing of one command, declared to commander. */
function declare(parent: Commander, spec: Command, io: CommandIo, settle: (outcome: Outcome) => void): void {
  const word = spec.name.split(' ').at(-1) ?? spec.name;
  const command = parent
    .command(word)
    .summary(spec.summary)
    .description(reflowed(spec.description))
    .usage(spec.usage)
    .allowExcessArguments(false)
    .configureOutput(outputTo(io, spec.name, settle))
    .addHelpText('after', `\nExamples:\n${spec.examples.map((example) => `  ${example}`).join('\n')}\n\nExit codes: ${spec.exitCodes}`);
  for (const argument of spec.arguments ?? []) command.argument(argument);
  for (const [name, flag] of Object.entries(spec.flags))
    command.addOption(new Option(flag.type === 'boolean' ? `--${name}` : `--${name} ${flag.value ?? '<value>'}`, flag.description));
  command.action(async (...args: unknown[]) => {
    const self = args.at(-1) as Commander;
    try {
      settle({ ran: spec, code: await spec.run({ values: valuesOf(self, spec.flags), positionals: self.args }, io) });
    } catch (error) {
      settle({ failed: spec, error });
    }
  });
}

/** Help and version to stdout; an error is not written but kept, to be said in one line by the caller. */
function outputTo(io: CommandIo, name: string, settle: (outcome: Outcome) => void) {
  const width = (stream: CommandIo['stdout']) => (stream as { columns?: number }).columns ?? 100;
  return {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
    getOutHelpWidth: () => width(io.stdout),
    getErrHelpWidth: () => width(io.stderr),
    outputError: (text: string) => settle({ refused: { command: name, code: '', exitCode: 1, message: oneLine(text) } }),
  };
}

/**
 * Runs one command line through commander: the commands (a two-word name makes a group, `audit query`),
 * `--help` at every level, `--version`, and did-you-mean on commands and flags. Never exits the process.
 */
export async function runProgram(argv: readonly string[], commands: readonly Command[], io: CommandIo, version: string): Promise<Outcome> {
  let outcome: Outcome | undefined;
  let refusal: Refusal | undefined;
  const settle = (next: Outcome) => {
    if ('refused' in next) refusal = next.refused;
    else outcome = next;
  };
  const program = new Commander('warden')
    .description('Warden: event-driven auto-remediation for serverless security on AWS.')
    .usage('<command> [flags]')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', "show a command's help")
    .version(`warden ${version} (Node.js ${process.versions.node})`, '-V, --version', 'print the version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput(outputTo(io, '', settle))
    .addHelpText('after', OVERVIEW_AFTER);
  const groups = new Map<string, Commander>();
  for (const spec of commands) {
    const [first = spec.name, second] = spec.name.split(' ');
    if (second === undefined) {
      declare(program, spec, io, settle);
      continue;
    }
    let group = groups.get(first);
    if (!group) {
      const members = commands.filter((command) => command.name.startsWith(`${first} `));
      group = program
        .command(first)
        .summary(groupSummary(first, members))
        .usage('<command> [flags]')
        .helpCommand(false)
        .configureOutput(outputTo(io, first, settle))
        .addHelpText('after', `\nRun 'warden ${first} <command> --help' for a command's flags and examples.`);
      groups.set(first, group);
    }
    declare(group, spec, io, settle);
  }
  try {
    // `warden help audit query` is `warden audit query --help` (commander's help command takes one word).
    const line = argv[0] === 'help' && argv.length > 1 ? [...argv.slice(1), '--help'] : argv;
    await program.parseAsync([...line], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return {
      refused: { command: refusal?.command ?? '', code: error.code, exitCode: error.exitCode, message: refusal?.message ?? oneLine(error.message) },
    };
  }
  if (outcome) return outcome;
  throw new Error(`no command ran for '${argv.join(' ')}'`);
}

/** The help of warden itself, or of a group, as `--help` prints it (for the usage error that shows it). */
export function helpOf(commands: readonly Command[], io: CommandIo, version: string, group?: string): Promise<string> {
  let text = '';
  const capture: CommandIo = { ...io, stdout: { write: (chunk: string) => (text += chunk) }, stderr: { write: () => true } };
  return runProgram([...(group ? [group] : []), '--help'], commands, capture, version).then(() => text);
}
