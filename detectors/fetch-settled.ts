import type { CheckId, CheckSettings } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import type { Evaluation, ResourceRef } from '../core/finding';
import { StillTransitioningError, VerificationFailedError } from './errors';
import type { Detector, FetchedState } from './detector';

export interface PollOptions {
  readonly attempts: number;
  readonly delayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_POLL: PollOptions = { attempts: 12, delayMs: 5_000 };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The current state once the resource stops transitioning (bounded), or `undefined` if it is gone. */
export async function fetchSettled<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  detector: Detector<Id, State, Clients>,
  finding: ResourceRef,
  settings: CheckSettings<Id>,
  clients: Pick<AwsClients, Clients>,
  poll: PollOptions = DEFAULT_POLL,
): Promise<State | undefined> {
  const sleep = poll.sleep ?? realSleep;
  for (let attempt = 1; ; attempt += 1) {
    const state = await detector.fetch(finding, clients, settings);
    if (!state || !detector.transitioning(state)) return state;
    if (attempt >= poll.attempts) throw new StillTransitioningError(`${finding.resourceArn} still transitioning after ${attempt} reads`);
    await sleep(poll.delayMs);
  }
}

/** Verify for every remediator: re-run the detector; compliant or fail clearly. */
export async function verifyWithDetector<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  detector: Detector<Id, State, Clients>,
  finding: ResourceRef,
  settings: CheckSettings<Id>,
  clients: Pick<AwsClients, Clients>,
  poll: PollOptions = DEFAULT_POLL,
): Promise<Evaluation> {
  const state = await fetchSettled(detector, finding, settings, clients, poll);
  if (!state) throw new VerificationFailedError(`${finding.resourceArn} no longer exists`);
  const evaluation = await detector.evaluate(state, settings);
  if (evaluation.status === 'NON_COMPLIANT') throw new VerificationFailedError(`still noncompliant after the fix: ${evaluation.reason}`);
  return evaluation;
}
