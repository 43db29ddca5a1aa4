import { WardenError } from '../core/errors';

export class DetectionError extends WardenError {}

/** The resource kept transitioning past the bounded wait: judge it later (Lambda retries). */
export class StillTransitioningError extends DetectionError {}

/** A fix was applied but the resource is still noncompliant, or gone. */
export class VerificationFailedError extends DetectionError {}
