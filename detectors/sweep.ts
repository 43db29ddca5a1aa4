import type { CheckId } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import { awsErrorName, errorMessage } from '../core/errors';
import type { ResourceRef } from '../core/finding';
import { type DetectionDeps, detectResource, type ResourceOutcome } from './detect';
import type { FetchedState, Listed, SweepScope } from './detector';
import { SweepIncompleteError } from './errors';
import { nextPage } from './list-all';
import type { Log } from '../core/observability';

export type SweepOutcome = ResourceOutcome | 'failed' | 'refused';

export interface DetectionSummary {
  readonly kind: 'cloudtrail' | 'config' | 'sweep';
  /** `refused`: resources of another account or region, named by a foreign event; never judged. */
  readonly outcomes: Readonly<Partial<Record<SweepOutcome, number>>>;
}

/**
 * How far a check's sweep has come: what the sweep workflow hands from one detector invocation to the
 * next. `cursor` is where the next page starts (absent or null: the first page).
 */
export interface SweepProgress {
  readonly check: CheckId;
  readonly cursor?: string | null;
  /** The outcomes of every page so far. */
  readonly outcomes: DetectionSummary['outcomes'];
  /** True once the last page is judged. */
  readonly done: boolean;
}

export function tally(outcomes: readonly (ResourceOutcome | 'failed')[], onto: DetectionSummary['outcomes'] = {}): DetectionSummary['outcomes'] {
  const counts: Partial<Record<SweepOutcome, number>> = { ...onto };
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
async function boundedMap<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) results.push(await work(items[next++]!));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export interface SweepOptions {
  /** Resources judged at once within a page (the SDK clients keep to the API's rate). */
  readonly concurrency?: number;
  /**
   * Asked after each page but the last, with the slowest page's duration so far: false stops the sweep
   * there, and its progress says where the next invocation resumes. Without it, the sweep runs to the end.
   */
  readonly another?: (slowestPageMs: number) => boolean;
  readonly clock?: () => number;
}

/**
 * A check's sweep, page by page from `from`: each resource judged (from the list's state when it carries
 * one). A failure on one resource is logged and counted and the sweep goes on; a failure to list a page
 * propagates (the page is retried whole, and judging a resource twice is harmless).
 */
export async function sweepPages<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  scope: SweepScope,
  deps: DetectionDeps<Id, State, Clients>,
  from: SweepProgress,
  options: SweepOptions = {},
): Promise<SweepProgress> {
  const clock = options.clock ?? (() => performance.now());
  let cursor = from.cursor ?? undefined;
  let outcomes = from.outcomes;
  let slowest = 0;
  for (;;) {
    const started = clock();
    const page = await nextPage(deps.detector, deps.clients, scope, cursor);
    outcomes = tally(await boundedMap(page.items, options.concurrency ?? 8, (item) => judge(item, deps)), outcomes);
    slowest = Math.max(slowest, clock() - started);
    cursor = page.next;
    if (cursor === undefined) return { check: deps.detector.check, cursor: null, outcomes, done: true };
    if (options.another && !options.another(slowest)) return { check: deps.detector.check, cursor, outcomes, done: false };
  }
}

async function judge<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  { ref, state }: Listed<State>,
  deps: DetectionDeps<Id, State, Clients>,
): Promise<ResourceOutcome | 'failed'> {
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
    return 'failed';
  }
}

/**
 * The end of a check's sweep: its outcomes logged; a sweep in which some resource failed fails, naming
 * how many, so that it is retried or reported (duplicates are harmless).
 */
export function finishSweep(scope: SweepScope, progress: SweepProgress, log: Log): DetectionSummary {
  const summary: DetectionSummary = { kind: 'sweep', outcomes: progress.outcomes };
  log.info('sweep finished', { ...scope, check: progress.check, ...summary.outcomes });
  const failed = summary.outcomes.failed ?? 0;
  if (failed > 0) throw new SweepIncompleteError(`sweep of ${progress.check} in ${scope.account}/${scope.region}: ${failed} resources failed`);
  return summary;
}

/** A whole sweep in one go (the CLI, the bench, a scheduled event): every page, then its summary. */
export async function sweep<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  scope: SweepScope,
  deps: DetectionDeps<Id, State, Clients>,
  concurrency = 8,
): Promise<DetectionSummary> {
  const progress = await sweepPages(scope, deps, { check: deps.detector.check, outcomes: {}, done: false }, { concurrency });
  return finishSweep(scope, progress, deps.log);
}
