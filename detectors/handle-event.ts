import type { CheckId } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import { ForeignEventError, MalformedEventError } from '../core/events/errors';
import { type ExtractedResources, extractResources, ownResources } from '../core/events/extract-resources';
import type { ResourceRef } from '../core/finding';
import { type DetectionDeps, detectResource, type ResourceOutcome } from './detect';
import type { FetchedState } from './detector';
import { type DetectionSummary, type SweepOptions, type SweepProgress, sweep, tally } from './sweep';
import { sweepStep, sweepStepOf } from './sweep-step';

/**
 * The detector Lambda's work for one invocation: an EventBridge event (a CloudTrail call, a Config item
 * change, a schedule), or a step of the sweep workflow. A malformed one is logged (id and type only) and
 * counted, then rethrown so that it ends in the function's failure destination rather than vanishing.
 */
export async function handleDetectorEvent<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  event: unknown,
  deps: DetectionDeps<Id, State, Clients> & {
    readonly scope: { account: string; region: string };
    /** For a sweep step: whether there is time for another page (the Lambda's remaining time). */
    readonly another?: SweepOptions['another'];
  },
): Promise<DetectionSummary | SweepProgress> {
  let parsed: { readonly step: SweepProgress } | { readonly extracted: ExtractedResources };
  try {
    const step = sweepStepOf(event, deps.detector.check);
    parsed = step ? { step } : { extracted: extractResources(event, deps.detector.check) };
  } catch (error) {
    if (error instanceof MalformedEventError) {
      const envelope = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
      deps.log.error('malformed event', {
        eventId: envelope['id'],
        detailType: envelope['detail-type'],
        source: envelope['source'],
        problem: error.message,
      });
      deps.metrics.count('MalformedEvent');
    }
    throw error;
  }
  if ('step' in parsed) return sweepStep(parsed.step, deps.scope, deps, deps.another);
  const { extracted } = parsed;
  if (extracted.kind === 'sweep') return sweep(deps.scope, deps);
  if (extracted.noResourceBecause) {
    deps.log.info('event names no resource to judge', { eventId: extracted.eventId, why: extracted.noResourceBecause });
    deps.metrics.count('EventWithoutResource');
    return { kind: extracted.kind, outcomes: {} };
  }
  let refs;
  try {
    refs = ownResources(extracted, deps.scope);
  } catch (error) {
    if (error instanceof ForeignEventError) {
      // Logged and counted, and not thrown: a retry could not make it ours, and it must never be acted on.
      deps.log.error('foreign event refused', { eventId: extracted.eventId, problem: error.message });
      deps.metrics.count('ForeignEvent');
      return { kind: extracted.kind, outcomes: { refused: extracted.refs.length } };
    }
    throw error;
  }
  const outcomes: ResourceOutcome[] = [];
  for (const ref of refs) {
    outcomes.push(
      (
        await detectResource(
          ref as ResourceRef & { check: Id },
          { kind: extracted.kind, id: extracted.eventId, ...(extracted.principal ? { principal: extracted.principal } : {}) },
          deps,
        )
      ).outcome,
    );
  }
  return { kind: extracted.kind, outcomes: tally(outcomes) };
}
