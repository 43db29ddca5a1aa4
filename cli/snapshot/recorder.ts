import { canonicalJson } from '../../core/finding';
import { awsErrorName, errorMessage } from '../../core/errors';
import type { RecordedResponse } from '../simulate/snapshot';
import { type StandIn, StandIns } from './stand-in';

interface Middlewared {
  middlewareStack: { add(middleware: unknown, options: { step: string; name: string; priority?: string }): void };
}

/** A value replaced as it was recorded: where, and the original's fingerprint. Never the value. */
export interface Redaction {
  readonly call: string;
  readonly variable: string;
  readonly fingerprint: string;
  /** False when no stand-in kept the scanner's verdict (the variable is then a plain placeholder). */
  readonly verdictKept: boolean;
}

/**
 * Records every call its clients make, as a snapshot's responses (`<Client>.<Operation>`: input, and
 * output or error), with each Lambda environment value replaced by a stand-in as it is recorded, so the
 * recording never holds a secret value.
 */
export class SnapshotRecorder {
  readonly responses: Record<string, RecordedResponse[]> = {};
  readonly redactions: Redaction[] = [];
  private readonly standIns = new StandIns();
  private readonly seen = new Set<string>();
  /** Every secret value replaced, to prove none is written (checked before the file is). */
  private readonly originals = new Set<string>();

  /** Adds the recording middleware to an SDK client; returns the client. */
  attach<T extends object>(client: T): T {
    (client as unknown as Middlewared).middlewareStack.add(
      (
        next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
        context: { clientName?: string; commandName?: string },
      ) =>
        async (args: { input: Record<string, unknown> }) => {
          const call = `${(context.clientName ?? '').replace(/Client$/, '')}.${(context.commandName ?? '').replace(/Command$/, '')}`;
          const input = JSON.parse(JSON.stringify(args.input ?? {})) as Record<string, unknown>;
          try {
            const result = await next(args);
            const { $metadata: _metadata, ...output } = result.output;
            this.keep(call, input, { input, output: this.redacted(call, JSON.parse(JSON.stringify(output)) as Record<string, unknown>) });
            return result;
          } catch (error) {
            // An AWS answer is recorded (a function with no policy, a gap in an emulator); Warden's own faults are not.
            if (typeof error === 'object' && error !== null && '$metadata' in error)
              this.keep(call, input, { input, error: { name: awsErrorName(error) ?? 'Error', message: errorMessage(error) } });
            throw error;
          }
        },
      { step: 'initialize', name: 'wardenSnapshotRecorder', priority: 'low' },
    );
    return client;
  }

  /** Whether any replaced value is still in `text` (it must never be). */
  leaks(text: string): boolean {
    return [...this.originals].some((value) => text.includes(value));
  }

  private keep(call: string, input: Record<string, unknown>, response: RecordedResponse): void {
    const key = `${call} ${canonicalJson(input)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    (this.responses[call] ??= []).push(response);
  }

  /** Every `Environment.Variables` in an answer (a function's configuration, each function of a list page), replaced. */
  private redacted(call: string, output: Record<string, unknown>): Record<string, unknown> {
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      const environment = record['Environment'] as { Variables?: Record<string, string> } | undefined;
      if (environment && typeof environment === 'object' && environment.Variables) {
        for (const [variable, value] of Object.entries(environment.Variables)) {
          const standIn: StandIn = this.standIns.of(variable, value);
          if (standIn.secret) this.originals.add(value);
          environment.Variables[variable] = standIn.value;
          this.redactions.push({ call, variable, fingerprint: standIn.fingerprint, verdictKept: standIn.verdictKept });
        }
      }
      Object.values(record).forEach(walk);
    };
    walk(output);
    return output;
  }
}
