import type { CheckId } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import { awsErrorName, errorMessage } from '../core/errors';
import type { ResourceRef } from '../core/finding';
import { type DetectionDeps, detectResource, type ResourceOutcome } from './detect';
import type { FetchedState } from './detector';

export interface DetectionSummary {
  readonly kind: 'cloudtrail' | 'config' | 'sweep';
  /** `refused`: resources of another account or region, named by a foreign event; never judged. */
  readonly outcomes: Readonly<Partial<Record<ResourceOutcome | 'failed' | 'refused', number>>>;
}

export function tally(outcomes: readonly (ResourceOutcome | 'failed')[]): DetectionSummary['outcomes'] {
  const counts: Partial<Record<ResourceOutcome | 'failed', number>> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

/** Runs `work` over an async iterable with at most `concurrency` items in flight. */
async function boundedMap<T, R>(items: AsyncIterable<T>, concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const iterator = items[Symbol.asyncIterator]();
  let done = false;
  const next = async (): Promise<IteratorResult<T>> => (done ? { done: true, value: undefined } : iterator.next());
  const worker = async () => {
    for (;;) {
      const item = await next();
      if (item.done) {
        done = true;
        return;
      }
      results.push(await work(item.value));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

async function* refsOnly(refs: AsyncIterable<ResourceRef>): AsyncIterable<{ ref: ResourceRef }> {
  for await (const ref of refs) yield { ref };
}

/**
 * The daily sweep: every resource of the check, evaluated with bounded concurrency (the SDK clients
 * back off adaptively on throttling). A failure on one resource is logged and counted and the sweep goes
 * on; at the end the sweep fails if any resource failed, so Lambda retries it (duplicates are harmless).
 */
export async function sweep<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  scope: { account: string; region: string },
  deps: DetectionDeps<Id, State, Clients>,
  concurrency = 8,
): Promise<DetectionSummary> {
  const items = deps.detector.listStates ? deps.detector.listStates(deps.clients, scope) : refsOnly(deps.detector.list(deps.clients, scope));
  const outcomes = await boundedMap(items, concurrency, async ({ ref, state }: { ref: ResourceRef; state?: State }) => {
    try {
      return (await detectResource(ref as ResourceRef & { check: Id }, { kind: 'sweep' }, deps, state)).outcome;
    } catch (error) {
      deps.log.error('sweep: resource failed', {
        check: ref.check,
        resourceArn: ref.resourceArn,
        error: awsErrorName(error) ?? 'Error',
        message: errorMessage(error),
      });
      deps.metrics.count('SweepResourceFailed');
      return 'failed' as const;
    }
  });
  const summary: DetectionSummary = { kind: 'sweep', outcomes: tally(outcomes) };
  deps.log.info('sweep finished', { ...scope, check: deps.detector.check, ...summary.outcomes });
  if (summary.outcomes.failed)
    throw new Error(`sweep of ${deps.detector.check} in ${scope.account}/${scope.region}: ${summary.outcomes.failed} resources failed`);
  return summary;
}
