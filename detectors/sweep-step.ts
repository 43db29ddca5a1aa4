import type { AwsClients } from '../core/aws/clients';
import { type CheckId, isCheckId } from '../core/catalogue';
import { MalformedEventError } from '../core/events/errors';
import type { DetectionDeps } from './detect';
import type { FetchedState, SweepScope } from './detector';
import { finishSweep, type SweepOptions, type SweepOutcome, type SweepProgress, sweepPages } from './sweep';

/** The sweep workflow invokes a detector with `{ wardenSweep: <progress> }`: one step of its check's sweep. */
export const SWEEP_STEP_KEY = 'wardenSweep';

// Every outcome, once: the record's type makes a new outcome a compile error here until it is listed.
const OUTCOMES = Object.keys({
  disabled: true,
  deleted: true,
  compliant: true,
  'not-applicable': true,
  started: true,
  duplicate: true,
  refused: true,
  deferred: true,
  failed: true,
} satisfies Record<SweepOutcome, true>);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The sweep step an invocation asks for, or `undefined` when the event is not one (an EventBridge event).
 * A step of another check, or one malformed, is refused: it would sweep under the wrong name.
 */
export function sweepStepOf(event: unknown, check: CheckId): SweepProgress | undefined {
  if (!isRecord(event) || !(SWEEP_STEP_KEY in event)) return undefined;
  const step = event[SWEEP_STEP_KEY];
  const problem = (what: string) => new MalformedEventError(`${SWEEP_STEP_KEY}: ${what}`);
  if (!isRecord(step)) throw problem('expected an object');
  if (typeof step['check'] !== 'string' || !isCheckId(step['check'])) throw problem('check: expected a check id');
  if (step['check'] !== check) throw problem(`check: ${step['check']} is swept by its own detector, not ${check}'s`);
  const cursor = step['cursor'];
  if (cursor !== undefined && cursor !== null && (typeof cursor !== 'string' || cursor.length === 0))
    throw problem('cursor: expected a string or null');
  const outcomes = step['outcomes'] ?? {};
  if (!isRecord(outcomes)) throw problem('outcomes: expected an object');
  for (const [name, count] of Object.entries(outcomes)) {
    if (!OUTCOMES.includes(name)) throw problem(`outcomes: ${name} is not an outcome`);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw problem(`outcomes.${name}: expected a count`);
  }
  if (step['done'] === true) throw problem('done: a finished sweep has no next step');
  return { check, ...(typeof cursor === 'string' ? { cursor } : {}), outcomes, done: false };
}

/**
 * One step of a check's sweep: pages from the step's cursor while `another` says there is time for one
 * more, then its progress for the next step. The last step logs the sweep's outcomes, and fails when a
 * resource could not be judged (the workflow reports that check to the hub and goes on to the next).
 */
export async function sweepStep<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  step: SweepProgress,
  scope: SweepScope,
  deps: DetectionDeps<Id, State, Clients>,
  another: SweepOptions['another'],
): Promise<SweepProgress> {
  const progress = await sweepPages(scope, deps, step, { ...(another ? { another } : {}) });
  if (progress.done) finishSweep(scope, progress, deps.log);
  else deps.log.info('sweep paused for the next step', { ...scope, check: progress.check, ...progress.outcomes });
  return progress;
}
