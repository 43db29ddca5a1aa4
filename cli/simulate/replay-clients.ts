import { isDeepStrictEqual } from 'node:util';
import { type AwsClients, CLIENT_CLASSES } from '../../core/aws/clients';
import { WardenError } from '../../core/errors';
import type { RecordedResponse, Snapshot } from './snapshot';

/** A call the snapshot has no recorded response for. */
export class SnapshotMissError extends WardenError {
  override name = 'SnapshotMissError';
}

type Module = Record<string, unknown>;
/** Each client's SDK package, by its service name (as snapshots and plans name it). */
const MODULES: Record<string, Module> = Object.fromEntries(
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the packages CLIENT_CLASSES names
  Object.values(CLIENT_CLASSES).map(({ module, service }) => [service, require(module) as Module]),
);

/** The SDK's own exception class for a recorded error, so `instanceof` checks behave as against AWS. */
function recordedError(client: string, error: { name: string; message: string }): Error {
  const Exception = MODULES[client]?.[error.name];
  if (typeof Exception === 'function') {
    return new (Exception as new (options: { message: string; $metadata: object }) => Error)({ message: error.message, $metadata: {} });
  }
  return Object.assign(new Error(error.message), { name: error.name });
}

function matches(recordedInput: Record<string, unknown>, input: Record<string, unknown>): boolean {
  return Object.entries(recordedInput).every(([key, value]) => isDeepStrictEqual(input[key], value));
}

interface Middlewared {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}

/** SDK clients that never leave the machine: every call is answered from the snapshot, or fails clearly. */
export function replayClients(snapshot: Snapshot, calls: string[] = []): AwsClients {
  const config = { region: snapshot.region, credentials: { accessKeyId: 'snapshot', secretAccessKey: 'snapshot' } };
  const wire = <T extends object>(client: T, name: string): T => {
    (client as unknown as Middlewared).middlewareStack.add(
      (_next: unknown, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const key = `${name}.${operation}`;
        calls.push(key);
        const candidates: RecordedResponse[] = snapshot.responses[key] ?? [];
        const hit = candidates.find((candidate) => matches(candidate.input, args.input));
        if (!hit) throw new SnapshotMissError(`the snapshot has no response for ${key} with ${JSON.stringify(args.input)}`);
        if ('error' in hit) throw recordedError(name, hit.error);
        return { output: { ...hit.output, $metadata: {} }, response: {} };
      },
      { step: 'initialize', name: 'wardenSnapshotReplay' },
    );
    return client;
  };
  const clients: Record<string, unknown> = { region: snapshot.region };
  for (const [name, { className, service }] of Object.entries(CLIENT_CLASSES)) {
    const Client = MODULES[service]?.[className] as new (configuration: typeof config) => object;
    clients[name] = wire(new Client(config), service);
  }
  return clients as unknown as AwsClients;
}
