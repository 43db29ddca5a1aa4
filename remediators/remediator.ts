import type { CheckId, CheckSettings } from '../core/catalogue';
import type { AwsClients, ServiceName } from '../core/aws/clients';
import type { Evaluation, Finding } from '../core/finding';
import type { PollOptions } from '../detectors/fetch-settled';

/** One SDK call a remediator makes, named as `warden simulate` and Slack show it. No secret values. */
export interface PlannedCall {
  readonly client: ServiceName;
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
}

export interface RemediationPlan {
  readonly calls: readonly PlannedCall[];
  /** What a human must know before approving (e.g. "the function's code must read the secret"). */
  readonly notes: readonly string[];
}

/** Facts a remediator needs from its deployment, not from the policy. */
export interface RemediationContext {
  /** The member stack's baseline web ACL in this region. */
  readonly baselineWebAclArn?: string;
  /** The workflow execution this apply belongs to (finding and episode); the undo it keeps is keyed by it. */
  readonly execution?: string;
  /** Where each fix's undo is kept for a retried invocation (remediators/applied-fixes.ts); absent offline. */
  readonly appliedFixes?: { recorded(execution: string): Promise<unknown>; record(execution: string, undo: unknown): Promise<void> };
}

export interface ApplyResult<Undo> {
  /** False when the resource was already compliant and nothing was called. */
  readonly changed: boolean;
  /** What undo needs to restore the previous state; redacted (never a secret value). */
  readonly undo?: Undo;
  /** The fix is applied, but keeping its undo for a retry failed (the error's name); the undo is still here. */
  readonly undoNotKept?: string;
}

/** A field of the resource that is no longer as Warden's fix left it. Names only: never a secret value. */
export interface UndoDrift {
  readonly field: string;
  /** What Warden's fix left there. */
  readonly warden: string;
  /** What the resource has now. */
  readonly now: string;
}

/** What undoing a fix would do to the resource as it is now, read before anything is called. */
export interface UndoReview {
  /** Empty when the resource is still as Warden left it; otherwise undo refuses unless forced. */
  readonly drift: readonly UndoDrift[];
  /** The exact calls undo makes (secret values never appear: they are read at run time). */
  readonly calls: readonly PlannedCall[];
  /** What the owner must know: what stays in place, what breaks. */
  readonly notes: readonly string[];
}

/** A review and the means to carry out exactly its calls. */
export interface UndoStep extends UndoReview {
  run(): Promise<void>;
}

/** One check's fix: exact, minimal, verified and reversible. */
export interface Remediator<Id extends CheckId, Clients extends keyof AwsClients, Undo> {
  readonly check: Id;
  /** Pure: the exact calls `apply` would make for this finding. */
  readonly plan: (finding: Finding, settings: CheckSettings<Id>, context: RemediationContext) => RemediationPlan;
  apply(finding: Finding, settings: CheckSettings<Id>, clients: Pick<AwsClients, Clients>, context: RemediationContext): Promise<ApplyResult<Undo>>;
  /** Re-reads and re-judges the resource, waiting while it transitions; throws if still noncompliant. */
  verify(finding: Finding, settings: CheckSettings<Id>, clients: Pick<AwsClients, Clients>, poll?: PollOptions): Promise<Evaluation>;
  /** Reads the resource and says what undo would call, and what changed since the fix (no change is made). */
  reviewUndo(record: Undo, clients: Pick<AwsClients, Clients>): Promise<UndoReview>;
  /**
   * Restores the state before the fix, only while the resource is as Warden left it: otherwise throws
   * UndoRefusedError with the drift, unless `force`. Returns the review it acted on.
   */
  undo(record: Undo, clients: Pick<AwsClients, Clients>, options?: { readonly force?: boolean }): Promise<UndoReview>;
  /**
   * Reads from the account what a deployment would hand the remediator (the stack's outputs), for
   * `warden scan` and `warden simulate`, which have no stack. Absent when the remediator needs nothing.
   */
  discoverContext?(clients: Pick<AwsClients, Clients>): Promise<Partial<RemediationContext>>;
}
