import { StateMachine } from 'aws-local-stepfunctions';
import { localDefinition } from './local-definition';

/** Stands in for one Task state: receives the Task's effective parameters, returns its result. */
export type LocalTaskHandler = (parameters: Record<string, unknown>) => Promise<unknown>;

export interface LocalRunOptions {
  readonly executionArn: string;
  readonly now: Date;
  readonly taskToken?: string;
  /** Retry immediately instead of waiting the definition's intervals (tests, simulations). */
  readonly skipRetryWaits?: boolean;
  /** Pass every Wait state at once (a staged fix's health window) instead of sleeping through it. */
  readonly skipWaits?: boolean;
}

export interface LocalRun {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error?: string;
  /** States entered: what Step Functions Standard bills as state transitions. */
  readonly transitions: number;
  /** The execution's output, when it succeeded. */
  readonly output?: unknown;
}

function waitStates(definition: Record<string, unknown>): string[] {
  return Object.entries(definition['States'] as Record<string, { Type: string }>)
    .filter(([, state]) => state.Type === 'Wait')
    .map(([name]) => name);
}

/** Definitions already validated (ASL schema, paths, ARNs) in this process: validation costs ~0.1 s a run. */
const validated = new Set<string>();

/**
 * Runs a workflow definition with aws-local-stepfunctions, every Task answered by `handlers`. The one
 * place that adapts the definition and the context object to that runner.
 */
export async function runLocally(
  definition: Record<string, unknown>,
  input: unknown,
  handlers: Readonly<Record<string, LocalTaskHandler>>,
  options: LocalRunOptions,
): Promise<LocalRun> {
  const local = localDefinition(definition, input);
  // The key is taken before the runner sees the definition (it may add fields to it).
  const key = JSON.stringify(local);
  const machine = new StateMachine(local as never, {
    validationOptions: validated.has(key) ? { noValidate: true } : { checkArn: true, checkPaths: true },
  });
  validated.add(key);
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      ...(options.skipRetryWaits ? { retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((name) => [name, 0])) } : {}),
      ...(options.skipWaits ? { waitTimeOverrides: Object.fromEntries(waitStates(definition).map((name) => [name, 0])) } : {}),
    },
    context: {
      Execution: { Id: options.executionArn, Name: options.executionArn.split(':').at(-1) ?? '', Input: input, StartTime: options.now.toISOString() },
      State: { EnteredTime: options.now.toISOString() },
      ...(options.taskToken ? { Task: { Token: options.taskToken } } : {}),
    } as never,
  });
  let transitions = 0;
  const counting = (async () => {
    for await (const event of execution.eventLogs) if (event.type === 'StateEntered') transitions += 1;
  })();
  try {
    const output: unknown = await execution.result;
    await counting;
    return { status: 'SUCCEEDED', transitions, output };
  } catch (error) {
    await counting.catch(() => undefined);
    return { status: 'FAILED', error: (error as Error).message, transitions };
  }
}
