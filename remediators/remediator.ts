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

/**
 * A fix made in two phases because its second phase can break the owner's code: the first is safe beside
 * the old state; the second waits for the owner's confirmation or a deadline, and each is judged by the
 * resource's health before the workflow goes on (statemachines/staged-fix-states.ts).
 */
export interface StagedFix {
  /** When the first phase was made (ISO-8601): its health is judged from here. */
  readonly startedAt: string;
  /** When the second phase was made; set once it is. */
  readonly completedAt?: string;
  /** How long the owner has to confirm before the second phase goes ahead anyway. */
  readonly confirmWithinSeconds: number;
  /** How long the resource is watched after the second phase before the fix counts as done. */
  readonly watchSeconds: number;
  /** Who is told, and must act: the resource's owner tag, or the policy's default assignee. */
  readonly owner?: string;
  /** What the owner must do before the second phase, exactly (the code change, and the options). */
  readonly ownerSteps: readonly string[];
}

export interface ApplyResult<Undo> {
  /** False when the resource was already compliant and nothing was called. */
  readonly changed: boolean;
  /** What undo needs to restore the previous state; redacted (never a secret value). */
  readonly undo?: Undo;
  /** The fix is applied, but keeping its undo for a retry failed (the error's name); the undo is still here. */
  readonly undoNotKept?: string;
  /** Set when only the first phase is made: the workflow waits, judges health, then completes it. */
  readonly staged?: StagedFix;
  /** Copies of the old state the fix cannot reach (published versions, say), each named: the owner is told. */
  readonly leftBehind?: readonly string[];
}

/** Counts of a metric window; no values of the resource. */
export interface HealthWindow {
  readonly from: string;
  readonly to: string;
  readonly invocations: number;
  readonly errors: number;
}

/** The resource's health since a phase, against as long a time before it. */
export interface HealthReport {
  /** False when its error rate rose more than the policy allows: the workflow stops and escalates. */
  readonly healthy: boolean;
  readonly reason: string;
  readonly before: HealthWindow;
  readonly after: HealthWindow;
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
   * The second phase of a staged fix (apply returned `staged`): only while the resource is as the first
   * phase left it; returns the undo of the whole fix.
   */
  complete?(
    finding: Finding,
    settings: CheckSettings<Id>,
    clients: Pick<AwsClients, Clients>,
    applied: ApplyResult<Undo>,
  ): Promise<ApplyResult<Undo>>;
  /** Judges the resource's health since `since` (a phase of a staged fix), from its own metrics. */
  checkHealth?(finding: Finding, settings: CheckSettings<Id>, clients: Pick<AwsClients, Clients>, since: string, now?: Date): Promise<HealthReport>;
  /**
   * Reads from the account what a deployment would hand the remediator (the stack's outputs), for
   * `warden scan` and `warden simulate`, which have no stack. Absent when the remediator needs nothing.
   */
  discoverContext?(clients: Pick<AwsClients, Clients>): Promise<Partial<RemediationContext>>;
}
