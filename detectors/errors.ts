import { WardenError } from '../core/errors';

export class DetectionError extends WardenError {
  override name: string = 'DetectionError';
}

/** A literal name: minification renames classes, and the workflow's Retry matches this string. */
export const STILL_TRANSITIONING_ERROR = 'StillTransitioningError';

/** The resource kept transitioning past the bounded wait: judge it later (Lambda retries). */
export class StillTransitioningError extends DetectionError {
  override name = STILL_TRANSITIONING_ERROR;
}

/** A fix was applied but the resource is still noncompliant, or gone. */
export class VerificationFailedError extends DetectionError {
  override name = 'VerificationFailedError';
}

/** A literal name: the sweep workflow reports a check whose sweep ends with this error to the hub. */
export const SWEEP_INCOMPLETE_ERROR = 'SweepIncompleteError';

/** Some resources of a sweep could not be judged (each is logged with its error). */
export class SweepIncompleteError extends DetectionError {
  override name = SWEEP_INCOMPLETE_ERROR;
}
