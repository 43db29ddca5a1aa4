import type { LocalTaskHandler } from './run-locally';

/** A Warden event as the workflow's PutEvents tasks send it. */
export interface LocalEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

/**
 * What stands in for the AWS services the workflow's Tasks integrate with, when it runs locally (tests,
 * `warden simulate`, `npm run demo:emulator`). A Task whose service is not given fails with
 * `Warden.NotAvailableLocally`, so a run can never reach what the caller did not mean it to.
 */
export interface LocalServices {
  /** `events:putEvents`: one Warden event delivered to the bus. */
  putEvent(event: LocalEvent): Promise<void>;
  /** `events:putEvents.waitForTaskToken`: the callback's result (an approval decision, a ticket key). */
  callback?(event: LocalEvent): Promise<unknown>;
  /** `dynamodb:updateItem`, with the Task's parameters as the SDK input. */
  updateItem?(parameters: Record<string, unknown>): Promise<unknown>;
  /** `lambda:invoke` of a remediator or a detector: the function's result for this payload. */
  invoke?(payload: Record<string, unknown>, functionName: string): Promise<unknown>;
}

const notAvailable = (name: string) => Object.assign(new Error(`${name} is not available in this local run`), { name: 'Warden.NotAvailableLocally' });

function firstEntry(parameters: Record<string, unknown>): LocalEvent {
  const entry = (parameters['Entries'] as { Source: string; DetailType: string; Detail: Record<string, unknown> }[])[0];
  if (!entry) throw new Error('a PutEvents task without entries');
  return { source: entry.Source, detailType: entry.DetailType, detail: entry.Detail };
}

interface StateDefinition {
  readonly Type: string;
  readonly Resource?: string;
  readonly ItemProcessor?: { readonly States: Readonly<Record<string, StateDefinition>> };
}

/** Every state of a definition, those of its Map states' item processors included (the local runner names them alike). */
function allStates(states: Readonly<Record<string, StateDefinition>>): [string, StateDefinition][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, StateDefinition],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
  ]);
}

/** One handler per Task state of `definition`, dispatched on the Task's service integration. */
export function localTaskHandlers(definition: Record<string, unknown>, services: LocalServices): Record<string, LocalTaskHandler> {
  const handlers: Record<string, LocalTaskHandler> = {};
  for (const [name, state] of allStates(definition['States'] as Record<string, StateDefinition>)) {
    if (state.Type !== 'Task') continue;
    const integration = (state.Resource ?? '').replace(/^arn:[^:]+:states:::/, '');
    handlers[name] = async (parameters) => {
      switch (integration) {
        case 'events:putEvents':
          await services.putEvent(firstEntry(parameters));
          return { Entries: [{ EventId: 'local' }], FailedEntryCount: 0 };
        case 'events:putEvents.waitForTaskToken':
          if (!services.callback) throw notAvailable(name);
          return services.callback(firstEntry(parameters));
        case 'dynamodb:updateItem':
          if (!services.updateItem) throw notAvailable(name);
          try {
            return await services.updateItem(parameters);
          } catch (error) {
            // Step Functions names a service integration's errors <Service>.<Exception>.
            const cause = error as Error;
            throw Object.assign(new Error(cause.message), { name: cause.name.startsWith('DynamoDB.') ? cause.name : `DynamoDB.${cause.name}` });
          }
        case 'lambda:invoke':
          if (!services.invoke) throw notAvailable(name);
          return { Payload: await services.invoke(parameters['Payload'] as Record<string, unknown>, String(parameters['FunctionName'])) };
        default:
          throw notAvailable(name);
      }
    };
  }
  return handlers;
}
