import type { AwsClients } from '../../../core/aws/clients';
import type { Evaluation } from '../../../core/finding';
import type { Detector, FetchedState } from '../../../detectors/detector';
import { VerificationFailedError } from '../../../detectors/errors';
import { defineRemediator } from '../../../remediators/define-remediator';
import { FatalRemediationError } from '../../../remediators/errors';
import type { Remediator } from '../../../remediators/remediator';
import { findingFor } from '../../support/findings';

/** The skeleton every remediator is built on: the same preamble before the fix, the same verify after it. */

interface State extends FetchedState {
  readonly compliant: boolean;
  readonly busy: number;
}
const CHECK = 'dynamodb-table-encryption' as const;
const ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/orders';
const clients = {} as Pick<AwsClients, 'dynamodb' | 'kms'>;
const settings = { kmsKey: 'alias/aws/dynamodb', requireCustomerManagedKey: false };

function fakeDetector(states: (State | undefined)[]): Detector<typeof CHECK, State, 'dynamodb' | 'kms'> {
  const detector: Detector<typeof CHECK, State, 'dynamodb' | 'kms'> = {
    check: CHECK,
    fetch: () => Promise.resolve(states.length > 1 ? states.shift() : states[0]),
    transitioning: (state) => state.busy > 0,
    evaluate: (state): Promise<Evaluation> =>
      Promise.resolve(
        state.compliant
          ? { status: 'COMPLIANT', reason: 'ok', evidence: {} }
          : { status: 'NON_COMPLIANT', reason: 'not encrypted', evidence: { now: true } },
      ),
    listPage: () => Promise.resolve({ items: [] }),
  };
  return detector;
}
const state = (compliant: boolean, busy = 0): State => ({ tags: {}, compliant, busy });

function remediatorWith(states: (State | undefined)[]) {
  const fixes: unknown[] = [];
  const undone: string[] = [];
  const remediator: Remediator<typeof CHECK, 'dynamodb' | 'kms', { before: string }> = defineRemediator({
    check: CHECK,
    detector: fakeDetector(states),
    plan: () => ({ calls: [], notes: [] }),
    fix: (now) => {
      fixes.push(now);
      return Promise.resolve({ changed: true, undo: { before: 'x' } });
    },
    prepareUndo: (record) =>
      Promise.resolve({
        drift: record.before === 'changed' ? [{ field: 'sse', warden: 'KMS', now: 'none' }] : [],
        calls: [{ client: 'DynamoDB', operation: 'UpdateTable', input: {} }],
        notes: [],
        run: () => {
          undone.push(record.before);
          return Promise.resolve();
        },
      }),
  });
  return { remediator, fixes, undone };
}

describe('defineRemediator', () => {
  const finding = findingFor(
    { check: CHECK, account: '111122223333', region: 'us-east-1', resourceArn: ARN },
    { reason: 'not encrypted', evidence: {} },
  );

  it('undoes only a resource still as Warden left it, unless forced; a review changes nothing', async () => {
    const { remediator, undone } = remediatorWith([]);
    const clients = {} as never;
    await expect(remediator.reviewUndo({ before: 'changed' }, clients)).resolves.toMatchObject({ drift: [{ field: 'sse' }] });
    await expect(remediator.undo({ before: 'changed' }, clients)).rejects.toThrow(
      "the resource changed since Warden's fix (sse: Warden left KMS, now none); nothing was undone",
    );
    expect(undone).toEqual([]);
    await remediator.undo({ before: 'changed' }, clients, { force: true });
    await remediator.undo({ before: 'x' }, clients);
    expect(undone).toEqual(['changed', 'x']);
  });

  it("tells the owner in the plan that the stack's next deploy reverts the fix, and what to set in the template", () => {
    const { remediator } = remediatorWith([]);
    const managed = { ...finding, managedBy: { tool: 'cdk' as const, stack: 'orders-prod', logicalId: 'OrdersTable6A1E2C1A' } };
    const [note] = remediator.plan(managed, {} as never, {}).notes;
    expect(note).toContain('Managed by the CDK stack orders-prod (OrdersTable6A1E2C1A): its next deploy reverts this fix');
    expect(note).toContain('CDK: dynamodb.Table encryption: TableEncryption.AWS_MANAGED');
    expect(remediator.plan(finding, {} as never, {}).notes).toEqual([]);
  });

  it('refuses a resource that is gone', async () => {
    const { remediator, fixes } = remediatorWith([undefined]);
    await expect(remediator.apply(finding, settings, clients, {})).rejects.toThrow(new FatalRemediationError(`${ARN} no longer exists`));
    expect(fixes).toEqual([]);
  });

  it('changes nothing on a resource that is compliant by now', async () => {
    const { remediator, fixes } = remediatorWith([state(true)]);
    await expect(remediator.apply(finding, settings, clients, {})).resolves.toEqual({ changed: false });
    expect(fixes).toEqual([]);
  });

  it('fixes with the state and the verdict as they are now, once the resource has settled', async () => {
    const { remediator, fixes } = remediatorWith([state(false, 1), state(false)]);
    jest.useFakeTimers();
    try {
      const applied = remediator.apply(finding, settings, clients, {});
      await jest.advanceTimersByTimeAsync(5_000);
      await expect(applied).resolves.toEqual({ changed: true, undo: { before: 'x' } });
    } finally {
      jest.useRealTimers();
    }
    expect(fixes).toEqual([{ state: state(false), evaluation: expect.objectContaining({ status: 'NON_COMPLIANT', evidence: { now: true } }) }]);
  });

  it('verifies with the detector: still noncompliant is a failure', async () => {
    const { remediator } = remediatorWith([state(false)]);
    await expect(remediator.verify(finding, settings, clients, { attempts: 1, delayMs: 0 })).rejects.toThrow(VerificationFailedError);
    await expect(remediatorWith([state(true)]).remediator.verify(finding, settings, clients, { attempts: 1, delayMs: 0 })).resolves.toMatchObject({
      status: 'COMPLIANT',
    });
  });

  describe('the undo kept for a retried invocation', () => {
    const store = () => {
      const kept = new Map<string, unknown>();
      return {
        kept,
        recorded: (key: string) => Promise.resolve(kept.get(key)),
        record: (key: string, undo: unknown) => Promise.resolve(void kept.set(key, undo)),
      };
    };

    it('a retry of the same execution reports the fix and its undo; a later episode of the finding does not', async () => {
      const appliedFixes = store();
      await remediatorWith([state(false)]).remediator.apply(finding, settings, clients, { appliedFixes, execution: 'f-1' });
      const compliant = remediatorWith([state(true)]).remediator;
      await expect(compliant.apply(finding, settings, clients, { appliedFixes, execution: 'f-1' })).resolves.toEqual({
        changed: true,
        undo: { before: 'x' },
      });
      await expect(compliant.apply(finding, settings, clients, { appliedFixes, execution: 'f-2' })).resolves.toEqual({ changed: false });
    });

    it('a fix whose undo cannot be kept still answers with the undo, and says it was not kept', async () => {
      const failing = {
        recorded: () => Promise.resolve(undefined),
        record: () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
      };
      await expect(
        remediatorWith([state(false)]).remediator.apply(finding, settings, clients, { appliedFixes: failing, execution: 'f-1' }),
      ).resolves.toEqual({
        changed: true,
        undo: { before: 'x' },
        undoNotKept: 'AccessDeniedException',
      });
    });
  });
});
