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

/** Undo found the resource changed since Warden's fix, and was not forced: nothing was called. */
export class UndoRefusedError extends RemediationError {
  override name = 'UndoRefusedError';
  constructor(
    message: string,
    readonly drift: readonly { readonly field: string; readonly warden: string; readonly now: string }[],
  ) {
    super(message);
  }
}

export { STILL_TRANSITIONING_ERROR, StillTransitioningError, VerificationFailedError } from '../detectors/errors';
