import { WardenError } from '../errors';

export class EventError extends WardenError {
  override name: string = 'EventError';
}

/** A literal name: the sweep workflow does not retry a step its detector refused. */
export const MALFORMED_EVENT_ERROR = 'MalformedEventError';

/** An input that is not a usable EventBridge event: logged and counted, never dropped silently. */
export class MalformedEventError extends EventError {
  override name = MALFORMED_EVENT_ERROR;
}

/** An event about a resource of another account or region than the detector's own: never acted on. */
export class ForeignEventError extends EventError {
  override name = 'ForeignEventError';
}
