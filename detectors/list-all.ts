import type { AwsClients } from '../core/aws/clients';
import type { CheckId } from '../core/catalogue';
import type { Detector, FetchedState, Listed, SweepScope } from './detector';

/** Every resource a check's list finds, page after page (the CLI's scan and the demo read them whole). */
export async function* listAll<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  detector: Detector<Id, State, Clients>,
  clients: Pick<AwsClients, Clients>,
  scope: SweepScope,
): AsyncIterable<Listed<State>> {
  let cursor: string | undefined;
  do {
    const page = await detector.listPage(clients, scope, cursor);
    yield* page.items;
    cursor = page.next;
  } while (cursor !== undefined);
}
