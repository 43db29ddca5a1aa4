import { WardenError } from '../core/errors';

export class RemediationError extends WardenError {}

/** Worth trying again later (resource busy, limit, concurrent change); the workflow's Retry handles it. */
export class RetryableRemediationError extends RemediationError {}

/** Will fail the same way every time (missing key, missing web ACL); goes to the failure path. */
export class FatalRemediationError extends RemediationError {}

export { StillTransitioningError, VerificationFailedError } from '../detectors/errors';
