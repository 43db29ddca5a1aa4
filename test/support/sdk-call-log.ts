import type { AwsClients } from '../../core/aws/clients';
import { createAwsClients } from '../../core/aws/clients';

/** One AWS API call as it went over the wire, and which Warden function made it. */
export interface RecordedCall {
  /** The function whose role makes the call in a deployment, e.g. `Detector-<check>` or `Remediator-<check>`. */
  readonly caller: string;
  /** SDK client name without the `Client` suffix: `DynamoDB`, `APIGateway`, `WAFV2`, ... */
  readonly client: string;
  readonly operation: string;
  readonly method: string;
  /** The HTTP path, for REST APIs (API Gateway authorizes on it). */
  readonly path: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

interface MiddlewareStack {
  add(middleware: unknown, options: { step: string; name: string }): void;
}

/**
 * Records every call of the clients it wraps: the tests' own SDK call log. The IAM layer derives the
 * requests it simulates from these logs, so a call a new code path makes cannot escape the check.
 */
export class SdkCallLog {
  readonly calls: RecordedCall[] = [];
  private caller = 'unattributed';

  /** Runs `body` with every call attributed to `caller`. */
  async as<T>(caller: string, body: () => Promise<T>): Promise<T> {
    const previous = this.caller;
    this.caller = caller;
    try {
      return await body();
    } finally {
      this.caller = previous;
    }
  }

  /** Adds the recording middleware to one SDK client. */
  instrument<T extends { middlewareStack: unknown }>(client: T): T {
    const stack = client.middlewareStack as MiddlewareStack;
    stack.add(
      (
        next: (args: {
          input: Record<string, unknown>;
          request?: { method?: string; path?: string };
        }) => Promise<{ output: Record<string, unknown> }>,
        context: { clientName?: string; commandName?: string },
      ) =>
        async (args: { input: Record<string, unknown>; request?: { method?: string; path?: string } }) => {
          const base = {
            caller: this.caller,
            client: (context.clientName ?? '').replace(/Client$/, ''),
            operation: (context.commandName ?? '').replace(/Command$/, ''),
            method: args.request?.method ?? '',
            path: args.request?.path ?? '',
            input: args.input,
          };
          try {
            const result = await next(args);
            this.calls.push({ ...base, output: result.output });
            return result;
          } catch (error) {
            this.calls.push({ ...base, error: error instanceof Error ? error.name : String(error) });
            throw error;
          }
        },
      { step: 'build', name: 'wardenSdkCallLog' },
    );
    return client;
  }

  /** Warden's own client factory, with every client it builds recorded. */
  clients(region: string): AwsClients {
    const clients = createAwsClients({ region, maxAttempts: 3 });
    const seen = new WeakSet<object>();
    return new Proxy(clients, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (value && typeof value === 'object' && 'middlewareStack' in value && !seen.has(value)) {
          seen.add(value);
          this.instrument(value);
        }
        return value;
      },
    });
  }
}
