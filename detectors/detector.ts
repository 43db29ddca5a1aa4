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
  /** Every resource of this check in the account and region, for the sweep. */
  list(clients: Pick<AwsClients, Clients>, scope: { readonly account: string; readonly region: string }): AsyncIterable<ResourceRef>;
}

export type AnyDetector = Detector<CheckId, FetchedState, keyof AwsClients>;
