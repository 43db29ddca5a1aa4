import { CATALOGUE } from '../../../core/catalogue';
import { TERMINAL_STATES } from '../../../core/events/bus-contract';
import { DEFINITION, runWorkflow, taskError } from '../../support/run-workflow';
import { workflowInput } from '../../support/workflow-input';

/*
 * A staged fix through the real workflow definition, run locally: the remediator's apply makes a first
 * phase only, the workflow tells the owner and waits for their confirmation or the deadline, judges the
 * resource's health, completes, watches, and records REMEDIATED; or stops and escalates.
 */

const check = CATALOGUE.find((entry) => 'staged' in entry && entry.staged === true)!.id;
const staged = { startedAt: '2026-11-20T10:00:07.000Z', confirmWithinSeconds: 604800, watchSeconds: 3600, ownerSteps: ['read the secret'] };
const phase1 = { changed: true, undo: { functionArn: 'f', moved: [], plaintextKept: true }, staged, leftBehind: ['version 3 holds NAME'] };
const phase2 = { changed: true, undo: { functionArn: 'f', moved: [] }, staged: { ...staged, completedAt: '2026-11-20T11:00:00.000Z' } };
const healthy = { healthy: true, reason: 'healthy', before: {}, after: {} };
const unhealthy = { healthy: false, reason: 'errors rose by 8.0%', before: { errors: 1 }, after: { errors: 25 } };
const payload = (value: unknown) => () => Promise.resolve({ Payload: value });
const terminals = (states: readonly string[]) => states.filter((state) => (TERMINAL_STATES as readonly string[]).includes(state));

function handlers(overrides: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {}) {
  const health = [healthy, healthy];
  return {
    [`Apply ${check}`]: payload(phase1),
    [`Await owner ${check}`]: () => Promise.resolve({ actor: 'slack:U0OWNER', decision: 'APPROVED' }),
    [`Check health after phase 1 ${check}`]: payload(health[0]),
    [`Complete ${check}`]: payload(phase2),
    [`Check health after phase 2 ${check}`]: payload(health[1]),
    ...overrides,
  };
}

describe(`staged fix (${check}), the real definition run locally`, () => {
  it('records MIGRATION_STARTED, tells the owner, waits for the confirmation, completes once health holds, and records REMEDIATED', async () => {
    const run = await runWorkflow(workflowInput({}, check), handlers());
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(['DETECTED', 'MIGRATION_STARTED', 'REMEDIATED']);
    expect(run.calls.slice(run.calls.indexOf(`Apply ${check}`))).toEqual([
      `Apply ${check}`,
      `Record MIGRATION_STARTED ${check}`,
      `Tell owner ${check}`,
      `Await owner ${check}`,
      `Check health after phase 1 ${check}`,
      `Complete ${check}`,
      `Verify phase 2 ${check}`,
      `Check health after phase 2 ${check}`,
      'Record REMEDIATED',
    ]);
    // The owner's ticket carries the steps and the copies the fix cannot reach; the confirmation request
    // waits at most the policy's deadline.
    const [ticket, confirm] = run.events;
    expect(ticket?.Detail).toMatchObject({ applied: { staged, leftBehind: ['version 3 holds NAME'] } });
    expect(confirm?.Detail).toMatchObject({ purpose: 'confirm', expiresInSeconds: 604800, applied: { staged } });
    expect(run.records[1]).toMatchObject({ state: 'MIGRATION_STARTED', undo: phase1 });
    // REMEDIATED keeps the undo of the whole fix (phase 2's), not phase 1's.
    expect(run.records[2]).toMatchObject({ state: 'REMEDIATED', undo: phase2 });
  });

  it('takes the deadline as the confirmation when nobody confirms in time, and still judges health first', async () => {
    const run = await runWorkflow(
      workflowInput({}, check),
      handlers({ [`Await owner ${check}`]: () => Promise.reject(taskError('States.Timeout')) }),
    );
    expect(run.states).toEqual(['DETECTED', 'MIGRATION_STARTED', 'REMEDIATED']);
    expect(run.calls).toContain(`Check health after phase 1 ${check}`);
  });

  it('stops before phase 2 and escalates when errors rose after phase 1: nothing more is changed', async () => {
    const run = await runWorkflow(workflowInput({}, check), handlers({ [`Check health after phase 1 ${check}`]: payload(unhealthy) }));
    expect(run.states).toEqual(['DETECTED', 'MIGRATION_STARTED', 'ESCALATED']);
    expect(run.calls).not.toContain(`Complete ${check}`);
    expect(run.records[2]).toMatchObject({ state: 'ESCALATED', health: unhealthy, undo: phase1 });
    expect(run.events.at(-1)?.Detail).toMatchObject({ health: unhealthy, reason: expect.stringMatching(/^errors rose/) });
    expect(terminals(run.states)).toHaveLength(1);
  });

  it('escalates when errors rose in the watch window after phase 2, with the undo of the whole fix', async () => {
    const run = await runWorkflow(workflowInput({}, check), handlers({ [`Check health after phase 2 ${check}`]: payload(unhealthy) }));
    expect(run.states).toEqual(['DETECTED', 'MIGRATION_STARTED', 'ESCALATED']);
    expect(run.records[2]).toMatchObject({ state: 'ESCALATED', undo: phase2 });
  });

  it("records REJECTED, keeping phase 1's undo, when the owner stops the migration", async () => {
    const run = await runWorkflow(
      workflowInput({}, check),
      handlers({ [`Await owner ${check}`]: () => Promise.reject(taskError('Warden.Rejected', 'not yet')) }),
    );
    expect(run.states).toEqual(['DETECTED', 'MIGRATION_STARTED', 'REJECTED']);
    expect(run.records[2]).toMatchObject({ undo: phase1 });
    expect(run.calls).not.toContain(`Complete ${check}`);
  });

  it('a phase 2 that is refused (the function changed since phase 1) records FAILED and tickets it', async () => {
    const run = await runWorkflow(
      workflowInput({}, check),
      handlers({ [`Complete ${check}`]: () => Promise.reject(taskError('FatalRemediationError', 'phase 2 refused')) }),
    );
    expect(run.states).toEqual(['DETECTED', 'MIGRATION_STARTED', 'FAILED']);
  });

  it('a one-step fix of the same check (migration: immediate) goes straight to verify', async () => {
    const run = await runWorkflow(workflowInput({}, check), handlers({ [`Apply ${check}`]: payload({ changed: true, undo: {} }) }));
    expect(run.states).toEqual(['DETECTED', 'REMEDIATED']);
    expect(run.calls).not.toContain(`Record MIGRATION_STARTED ${check}`);
  });

  it('builds the staged branch only for checks that declare one', () => {
    const states = Object.keys(DEFINITION['States'] as object);
    for (const entry of CATALOGUE) expect(states.includes(`Staged? ${entry.id}`)).toBe('staged' in entry && entry.staged === true);
  });
});
