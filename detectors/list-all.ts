import type { AwsClients } from '../core/aws/clients';
import type { CheckId } from '../core/catalogue';
import type { Detector, FetchedState, Listed, ListedPage, SweepScope } from './detector';
import { DetectionError } from './errors';

/** Every resource a check's list finds, page after page (the CLI's scan and the demo read them whole). */
export async function* listAll<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  detector: Detector<Id, State, Clients>,
  clients: Pick<AwsClients, Clients>,
  scope: SweepScope,
): AsyncIterable<Listed<State>> {
  let cursor: string | undefined;
  do {
    const page = await nextPage(detector, clients, scope, cursor);
    yield* page.items;
    cursor = page.next;
  } while (cursor !== undefined);
}

/** The page after `cursor`; an API answering with the cursor it was given would page forever, and is refused. */
export async function nextPage<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  detector: Detector<Id, State, Clients>,
  clients: Pick<AwsClients, Clients>,
  scope: SweepScope,
  cursor: string | undefined,
): Promise<ListedPage<State>> {
  const page = await detector.listPage(clients, scope, cursor);
  if (cursor !== undefined && page.next === cursor) throw new DetectionError(`${detector.check}: the list answered with the cursor it was given`);
  return page;
}
