/**
 * The workflow definition adapted for aws-local-stepfunctions (tests and `warden simulate`). That
 * runner resolves `TimeoutSecondsPath` against a Task's effective Parameters rather than its input, as
 * Step Functions does, so the path is replaced by the value it points to in this execution's input.
 */
export function localDefinition(definition: Record<string, unknown>, input: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(definition)) as Record<string, unknown>;
  const states = copy['States'] as Record<string, Record<string, unknown>>;
  for (const state of Object.values(states)) {
    const path = state['TimeoutSecondsPath'];
    if (typeof path !== 'string') continue;
    let value: unknown = input;
    for (const key of path.replace(/^\$\./, '').split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
    delete state['TimeoutSecondsPath'];
    state['TimeoutSeconds'] = typeof value === 'number' && value >= 1 ? value : 60;
  }
  return copy;
}
