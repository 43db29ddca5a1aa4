import type { CheckId, CheckSettings } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import type { Evaluation, ResourceRef } from '../core/finding';

/** The current state of a resource as the API reports it, plus its tags (for exemptions by tag). */
export interface FetchedState {
  readonly tags: Readonly<Record<string, string>>;
  /** The resource's ARN as the API reports it (TableArn, FunctionArn), when it does: the finding names this one. */
  readonly resourceArn?: string;
}

/**
 * One check's detector: `fetch` reads the resource's current state (the API is the truth; events are
 * only hints), `evaluate` judges it without I/O. `Clients` names the SDK clients it needs, so each
 * Lambda bundles only those.
 */
export interface Detector<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients> {
  readonly check: Id;
  /** Current state, or `undefined` when the resource no longer exists (a deleted resource is no finding). */
  fetch(ref: ResourceRef, clients: Pick<AwsClients, Clients>, settings: CheckSettings<Id>): Promise<State | undefined>;
  /** True while the resource is changing (creating, updating): judge it again later, not now. */
  transitioning(state: State): boolean;
  /** Pure judgement of the state under the check's settings; evidence is redacted. */
  evaluate(state: State, settings: CheckSettings<Id>): Promise<Evaluation>;
  /**
   * One page of every resource of this check in the account and region, for the sweep: from `cursor`
   * (the `next` of the page before; absent for the first), to `next` (absent on the last page). A
   * resource comes with its state when the list's answer carries what `evaluate` needs (ListFunctions
   * carries each function's environment), so the sweep reads nothing more for it. A page is one list
   * call's worth of work, so a sweep that must stop (its Lambda's time) resumes at the next one.
   */
  listPage(clients: Pick<AwsClients, Clients>, scope: SweepScope, cursor?: string): Promise<ListedPage<State>>;
  /**
   * What a listed state still lacks to be judged, read for one resource (inside the sweep's per-resource
   * error handling, so one failure does not stop the sweep); `undefined` when the resource is gone.
   * Without it, a listed state is judged as listed.
   */
  complete?(listed: State, ref: ResourceRef, clients: Pick<AwsClients, Clients>): Promise<State | undefined>;
  /**
   * The resource's tags, read only once it is found noncompliant: a check's settings never depend on
   * tags (exemptions and owners do), so `fetch` and `listStates` leave `tags` empty. `undefined` when
   * the resource is gone. Without it, `fetch` reads the tags itself.
   */
  tagsOf?(state: State, clients: Pick<AwsClients, Clients>): Promise<Readonly<Record<string, string>> | undefined>;
}

export interface SweepScope {
  readonly account: string;
  readonly region: string;
}

/** A resource the sweep's list found, with its state when the list carries it. */
export interface Listed<State extends FetchedState> {
  readonly ref: ResourceRef;
  readonly state?: State;
}

export interface ListedPage<State extends FetchedState> {
  readonly items: readonly Listed<State>[];
  /** Where the next page starts: an opaque cursor of the check's list API. */
  readonly next?: string;
}

export type AnyDetector = Detector<CheckId, FetchedState, keyof AwsClients>;
