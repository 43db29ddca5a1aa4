import { WardenError } from '../core/errors';

export class RemediationError extends WardenError {
  override name: string = 'RemediationError';
}

/** A literal name: minification renames classes, and the workflow's Retry matches this string. */
export const RETRYABLE_REMEDIATION_ERROR = 'RetryableRemediationError';

/** Worth trying again later (resource busy, limit, concurrent change); the workflow's Retry handles it. */
export class RetryableRemediationError extends RemediationError {
  override name = RETRYABLE_REMEDIATION_ERROR;
}

/** Will fail the same way every time (missing key, missing web ACL); goes to the failure path. */
export class FatalRemediationError extends RemediationError {
  override name = 'FatalRemediationError';
}

export { STILL_TRANSITIONING_ERROR, StillTransitioningError, VerificationFailedError } from '../detectors/errors';
