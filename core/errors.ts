/**
 * The root of every error Warden raises on purpose. Each module derives one base error from it and
 * typed subclasses from that, so callers can catch a module's failures without string matching, and
 * the original failure always travels along as `cause`.
 */
export class WardenError extends Error {
  /**
   * Every subclass sets its own literal name. Never derive it from the class (`new.target.name`): the
   * bundler minifies class names, and Step Functions' Retry and Catch match the name Lambda reports.
   */
  override name: string = 'WardenError';
}

/** The message of an unknown thrown value, without assuming it is an Error. */
export function errorMessage(error: unknown): string {
  // Errors from another realm (a VM context, a worker) fail `instanceof Error` but still carry a message.
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** The AWS SDK v3 error name (`ResourceNotFoundException`, `ThrottlingException`, ...), if any. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const name = error.name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}
