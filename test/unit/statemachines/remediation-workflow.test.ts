import { TERMINAL_STATES } from '../../../core/events/bus-contract';
import { DEFINITION, runWorkflow, taskError } from '../../support/run-workflow';
import { workflowInput } from '../../support/workflow-input';

const terminalCount = (states: readonly string[]) => states.filter((state) => (TERMINAL_STATES as readonly string[]).includes(state)).length;

describe('remediation workflow (the real definition, run locally)', () => {
  it('auto: records DETECTED, takes the budget, applies, verifies and records REMEDIATED with before, after and undo', async () => {
    const run = await runWorkflow(workflowInput());
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(['DETECTED', 'REMEDIATED']);
    expect(run.calls).toEqual([
      'Plan dynamodb-table-encryption',
      'Record DETECTED',
      'Take blast-radius budget',
      'Apply dynamodb-table-encryption',
      'Verify dynamodb-table-encryption',
      'Record REMEDIATED',
    ]);
    expect(run.records[1]).toMatchObject({
      state: 'REMEDIATED',
      findingId: '0123456789abcdef0123456789abcdef01234567',
      approval: { actor: 'warden' },
      executionArn: 'arn:aws:states:us-east-1:111122223333:execution:warden:0123456789abcdef0123456789abcdef01234567',
      before: { sseType: 'AWS_OWNED' },
      after: { fixed: true },
      undo: { tableName: 'orders' },
    });
  });

  it('routes each check to its own remediator', async () => {
    const run = await runWorkflow(workflowInput({}, 'apigateway-stage-waf'));
    expect(run.calls).toContain('Plan apigateway-stage-waf');
    expect(run.calls).toContain('Apply apigateway-stage-waf');
    expect(run.calls.filter((call) => call.endsWith('dynamodb-table-encryption'))).toEqual([]);
  });

  it("asks the check's remediator for the plan, and shows that plan to the approver and on the ticket", async () => {
    const planned = { calls: [{ client: 'DynamoDB', operation: 'UpdateTable', input: { TableName: 'orders' } }], notes: ['the table stays online'] };
    const plan = () => Promise.resolve({ Payload: planned, StatusCode: 200, ExecutedVersion: '$LATEST' });
    const approval = await runWorkflow(workflowInput({ mode: 'approval' }), { 'Plan dynamodb-table-encryption': plan });
    expect(approval.events[0]?.Detail['plan']).toEqual(planned);
    const ticket = await runWorkflow(workflowInput({ mode: 'ticket' }), { 'Plan dynamodb-table-encryption': plan });
    expect(ticket.events[0]?.Detail['plan']).toEqual(planned);
    const report = await runWorkflow(workflowInput({ mode: 'report' }), { 'Plan dynamodb-table-encryption': plan });
    expect(report.records[1]).toMatchObject({ state: 'REPORTED', plannedCalls: planned.calls });
    // The DETECTED record carries the plan's notes: what breaks, who must act, a stack that would revert the fix.
    expect(report.records[0]).toMatchObject({ state: 'DETECTED', notes: ['the table stays online'] });
  });

  it('keeps the plan a finding brings (one the detector could not judge: notes only), and asks no remediator', async () => {
    const notEvaluated = { calls: [], notes: ['Not evaluated: the key is not readable'] };
    const run = await runWorkflow({ ...workflowInput({ mode: 'report', decidedBy: 'not evaluated' }), plan: notEvaluated });
    expect(run.calls.filter((call) => call.startsWith('Plan '))).toEqual([]);
    expect(run.records[1]).toMatchObject({ state: 'REPORTED', plannedCalls: [] });
  });

  it.each(['auto', 'approval'] as const)(
    '%s: a plan with no call (nothing Warden can apply) asks nobody to approve, requests a ticket with its notes and records REPORTED',
    async (mode) => {
      const nothing = { calls: [], notes: ['Cannot be fixed yet: the policy names no web ACL for us-east-1'] };
      const plan = () => Promise.resolve({ Payload: nothing, StatusCode: 200, ExecutedVersion: '$LATEST' });
      const run = await runWorkflow(workflowInput({ mode }, 'apigateway-stage-waf'), { 'Plan apigateway-stage-waf': plan });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.states).toEqual(['DETECTED', 'REPORTED']);
      expect(run.calls.filter((call) => /^(Apply|Take|Request)/.test(call))).toEqual([]);
      expect(run.events.map((event) => [event.DetailType, event.Detail['reason'], event.Detail['plan']])).toEqual([
        ['Warden Ticket Requested', 'nothing Warden can apply: the plan says what is needed', nothing],
      ]);
      expect(run.records[1]).toMatchObject({ state: 'REPORTED', plannedCalls: [], reason: expect.stringContaining('nothing Warden can apply') });
    },
  );

  it('a plan that cannot be made records FAILED (nothing changed, the error kept) and tickets it with an empty plan', async () => {
    const run = await runWorkflow(workflowInput(), {
      'Plan dynamodb-table-encryption': () => Promise.reject(taskError('FatalRemediationError', 'no key')),
    });
    expect(run.status).toBe('FAILED');
    expect(run.states).toEqual(['FAILED']);
    expect(run.calls.filter((call) => call.startsWith('Apply') || call.startsWith('Take'))).toEqual([]);
    expect(run.records[0]).toMatchObject({ error: { Error: 'FatalRemediationError' } });
    expect(run.events.map((event) => [event.Detail['reason'], event.Detail['plan']])).toEqual([
      ['remediation failed', { calls: [], notes: [expect.stringContaining('could not plan')] }],
    ]);
  });

  it('approval: waits for the callback, then remediates with the approver as actor', async () => {
    const run = await runWorkflow(workflowInput({ mode: 'approval' }), {
      'Request approval': () => Promise.resolve({ actor: 'slack:U0123ABCD9', decision: 'APPROVED', decidedAt: '2026-11-20T10:05:00Z' }),
    });
    expect(run.states).toEqual(['DETECTED', 'REMEDIATED']);
    expect(run.records[1]).toMatchObject({ approval: { actor: 'slack:U0123ABCD9' } });
    expect(run.events.map((event) => event.DetailType)).toEqual(['Warden Approval Requested']);
    expect(run.events[0]?.Detail).toMatchObject({ taskToken: 'TASK-TOKEN-CANARY-0123456789', expiresInSeconds: 86400 });
  });

  it('approval: a rejection records REJECTED and changes nothing', async () => {
    const run = await runWorkflow(workflowInput({ mode: 'approval' }), {
      'Request approval': () => Promise.reject(taskError('Warden.Rejected', 'rejected by U0123ABCD9')),
    });
    expect(run.states).toEqual(['DETECTED', 'REJECTED']);
    expect(run.calls).not.toContain('Apply dynamodb-table-encryption');
  });

  it('approval: a timeout records EXPIRED and requests a ticket', async () => {
    const run = await runWorkflow(workflowInput({ mode: 'approval' }), { 'Request approval': () => Promise.reject(taskError('States.Timeout')) });
    expect(run.states).toEqual(['DETECTED', 'EXPIRED']);
    expect(run.events.map((event) => [event.DetailType, event.Detail['reason']])).toEqual([
      ['Warden Approval Requested', undefined],
      ['Warden Ticket Requested', 'approval expired without a decision'],
    ]);
  });

  it('takes the approval timeout from the policy decision', () => {
    const states = DEFINITION['States'] as Record<string, Record<string, unknown>>;
    expect(states['Request approval']).toMatchObject({
      Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
      TimeoutSecondsPath: '$.decision.approvalTimeoutSeconds',
    });
  });

  it('ticket: waits for the ticket key and records TICKETED', async () => {
    const run = await runWorkflow(workflowInput({ mode: 'ticket' }), {
      'Open ticket': () => Promise.resolve({ ticketKey: 'SEC-42', url: 'https://example.atlassian.net/browse/SEC-42' }),
    });
    expect(run.states).toEqual(['DETECTED', 'TICKETED']);
    expect(run.records[1]).toMatchObject({ ticket: { ticketKey: 'SEC-42' } });
  });

  it('report: records REPORTED with the planned calls', async () => {
    const run = await runWorkflow(workflowInput({ mode: 'report' }));
    expect(run.states).toEqual(['DETECTED', 'REPORTED']);
    expect(run.records[1]).toMatchObject({ plannedCalls: [{ client: 'DynamoDB', operation: 'UpdateTable' }] });
  });

  it('exempt: records EXEMPTED with the rule and reason, whatever the mode', async () => {
    const run = await runWorkflow(workflowInput({ exempt: true, exemption: { rule: 'exemptions[0]', reason: 'sandbox' } }));
    expect(run.states).toEqual(['DETECTED', 'EXEMPTED']);
    expect(run.records[1]).toMatchObject({ exemption: { rule: 'exemptions[0]', reason: 'sandbox' } });
    expect(run.calls).toEqual(['Record DETECTED', 'Record EXEMPTED']);
  });

  it.each([
    ['auto', 'REMEDIATED'],
    ['ticket', 'TICKETED'],
    ['approval', 'REPORTED'],
  ] as const)('dry run in %s mode records %s with the planned calls and calls nothing', async (mode, terminal) => {
    const run = await runWorkflow(workflowInput({ mode, dryRun: true }));
    expect(run.states).toEqual(['DETECTED', terminal]);
    expect(run.records[1]).toMatchObject({ dryRun: true, plannedCalls: [{ operation: 'UpdateTable' }] });
    // Planning is pure (the remediator makes no AWS call for it); nothing else runs.
    expect(run.calls.filter((call) => !call.startsWith('Record'))).toEqual(['Plan dynamodb-table-encryption']);
  });

  it('flapping: records FLAPPING, opens one ticket naming who re-broke it, and waits for a human decision', async () => {
    const flapping = {
      rebreaks: [{ at: '2026-11-20T09:00:00.000Z', by: 'arn:aws:sts::111122223333:assumed-role/deploy/pipeline' }],
      maxRebreaks: 1,
      windowSeconds: 86400,
      ticket: true,
    };
    const run = await runWorkflow(workflowInput({ mode: 'approval', decidedBy: 'flapping (1 re-breaks within 24h)', flapping }));
    expect(run.states).toEqual(['DETECTED', 'FLAPPING', 'REMEDIATED']);
    expect(run.records[1]).toMatchObject({ state: 'FLAPPING', flapping });
    expect(run.events.map((event) => event.DetailType)).toEqual(['Warden Ticket Requested', 'Warden Approval Requested']);
    expect(run.calls.indexOf('Request approval')).toBeGreaterThan(run.calls.indexOf('Ticket flapping'));
    const ticketed = await runWorkflow(workflowInput({ mode: 'approval', flapping: { ...flapping, ticket: false } }));
    expect(ticketed.events.map((event) => event.DetailType)).toEqual(['Warden Approval Requested']);
  });

  it('blast radius: an exhausted budget degrades auto to approval and says why', async () => {
    const run = await runWorkflow(workflowInput(), {
      'Take blast-radius budget': () => Promise.reject(taskError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed')),
      'Request approval': () => Promise.resolve({ actor: 'slack:U0123ABCD9', decision: 'APPROVED' }),
    });
    expect(run.states).toEqual(['DETECTED', 'DEGRADED_TO_APPROVAL', 'REMEDIATED']);
    expect(run.records[1]?.['reason']).toContain('blast-radius budget');
    expect(run.calls).toContain('Request approval');
  });

  it('retries a throwing Task, then records FAILED, requests a ticket and fails the execution', async () => {
    let attempts = 0;
    const run = await runWorkflow(workflowInput(), {
      'Apply dynamodb-table-encryption': () => {
        attempts += 1;
        return Promise.reject(taskError('Lambda.ServiceException', 'Lambda is unavailable'));
      },
    });
    expect(attempts).toBe(6);
    expect(run.status).toBe('FAILED');
    expect(run.states).toEqual(['DETECTED', 'FAILED']);
    expect(run.records[1]).toMatchObject({ error: { Error: 'Lambda.ServiceException' } });
    expect(run.events.map((event) => event.Detail['reason'])).toEqual(['remediation failed']);
  });

  it('records the terminal state even when the approval callback carries no actor', async () => {
    const run = await runWorkflow(workflowInput({ mode: 'approval' }), { 'Request approval': () => Promise.resolve({ decision: 'APPROVED' }) });
    expect(run.states).toEqual(['DETECTED', 'REMEDIATED']);
  });

  it('retries a retryable remediation error and succeeds', async () => {
    let attempts = 0;
    const run = await runWorkflow(workflowInput(), {
      'Apply dynamodb-table-encryption': () => {
        attempts += 1;
        return attempts < 3 ? Promise.reject(taskError('RetryableRemediationError', 'table busy')) : Promise.resolve({ Payload: {} });
      },
    });
    expect(attempts).toBe(3);
    expect(run.states).toEqual(['DETECTED', 'REMEDIATED']);
  });

  it('records FAILED when verification finds the resource still noncompliant', async () => {
    const run = await runWorkflow(workflowInput(), {
      'Verify dynamodb-table-encryption': () => Promise.reject(taskError('VerificationFailedError', 'still noncompliant')),
    });
    expect(run.states).toEqual(['DETECTED', 'FAILED']);
  });

  it.each(['auto', 'approval', 'ticket', 'report'] as const)('%s: every run ends in exactly one terminal record', async (mode) => {
    const outcomes = [
      await runWorkflow(workflowInput({ mode })),
      await runWorkflow(workflowInput({ mode, dryRun: true })),
      await runWorkflow(workflowInput({ mode, exempt: true, exemption: { rule: 'exemptions[0]', reason: 'x' } })),
      await runWorkflow(workflowInput({ mode }), { 'Record DETECTED': () => Promise.reject(taskError('EventBridge.InternalException')) }),
    ];
    for (const run of outcomes) expect(terminalCount(run.states)).toBe(1);
  });
});

describe('workflow definition', () => {
  it('gives every Task a Retry and a Catch', () => {
    const states = DEFINITION['States'] as Record<string, { Type: string; Retry?: unknown[]; Catch?: unknown[] }>;
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(10);
    for (const [name, state] of tasks) expect([name, (state.Retry ?? []).length > 0, (state.Catch ?? []).length > 0]).toEqual([name, true, true]);
  });

  it('ends a failed post-terminal ticket request as a failed execution, without a second terminal record', async () => {
    const run = await runWorkflow(workflowInput({ mode: 'approval' }), {
      'Request approval': () => Promise.reject(taskError('States.Timeout')),
      'Ticket expired approval': () => Promise.reject(taskError('EventBridge.InternalException')),
    });
    expect(run.status).toBe('FAILED');
    expect(run.states).toEqual(['DETECTED', 'EXPIRED']);
  });
});

describe('blast-radius budget of zero', () => {
  it('sends every automatic fix to approval without touching the counter', async () => {
    const run = await runWorkflow(workflowInput({ maxAutoFixesPerHour: 0 }));
    expect(run.states).toEqual(['DETECTED', 'DEGRADED_TO_APPROVAL', 'REMEDIATED']);
    expect(run.calls).not.toContain('Take blast-radius budget');
    expect(run.calls).toContain('Request approval');
  });
});
