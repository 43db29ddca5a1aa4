import { WardenError } from '../errors';

export class EventError extends WardenError {
  override name: string = 'EventError';
}

/** An input that is not a usable EventBridge event: logged and counted, never dropped silently. */
export class MalformedEventError extends EventError {
  override name = 'MalformedEventError';
}
