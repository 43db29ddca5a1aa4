import type { AwsClients } from '../../core/aws/clients';
import type { CheckId } from '../../core/catalogue';
import type { ResourceRef } from '../../core/finding';
import type { Detector, FetchedState, SweepScope } from '../../detectors/detector';
import { listAll } from '../../detectors/list-all';

/** Every resource a detector's sweep lists, page after page, each with the state its list carried (or a thrown error). */
export async function listedStates<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  detector: Detector<Id, State, Clients>,
  clients: Pick<AwsClients, Clients>,
  scope: SweepScope,
): Promise<{ ref: ResourceRef; state: State }[]> {
  const listed: { ref: ResourceRef; state: State }[] = [];
  for await (const { ref, state } of listAll(detector, clients, scope)) {
    if (!state) throw new Error(`${ref.resourceArn} was listed without its state`);
    listed.push({ ref, state });
  }
  return listed;
}

/** The ARNs of every resource a detector's sweep lists, page after page. */
export async function listedArns<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  detector: Detector<Id, State, Clients>,
  clients: Pick<AwsClients, Clients>,
  scope: SweepScope,
): Promise<string[]> {
  const arns: string[] = [];
  for await (const { ref } of listAll(detector, clients, scope)) arns.push(ref.resourceArn);
  return arns;
}
