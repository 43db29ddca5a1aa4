import { type Evaluation, type Finding, findingIdOf, type ResourceRef } from '../../core/finding';

/** A finding as the detector would produce it for this ref and evaluation. */
export function findingFor(ref: ResourceRef, evaluation: Pick<Evaluation, 'reason' | 'evidence'>, tags: Record<string, string> = {}): Finding {
  return {
    ...ref,
    findingId: findingIdOf(ref, evaluation.evidence),
    reason: evaluation.reason,
    evidence: evaluation.evidence,
    tags,
    detectedAt: '2026-11-20T10:00:05.000Z',
    trigger: { kind: 'cloudtrail', id: '2d3e4f5a-0000-4000-8000-000000000001' },
  };
}

export const NO_WAIT = { attempts: 3, delayMs: 0, sleep: () => Promise.resolve() };
