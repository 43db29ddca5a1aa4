import type { CheckId, Mode } from './catalogue';
import type { Finding } from './finding';
import type { MatchedExemption, ResolvedSettings } from './policy/resolve-policy';

/** What the policy decided for a finding, as the workflow reads it (JSONPath-friendly, no functions). */
export interface Decision {
  readonly mode: Mode;
  readonly dryRun: boolean;
  readonly exempt: boolean;
  readonly exemption?: MatchedExemption;
  readonly approvalTimeoutSeconds: number;
  readonly maxAutoFixesPerHour: number;
  /** The policy rule that decided (e.g. `overrides[1].checks.<check-id>`). */
  readonly decidedBy: string;
  readonly expiredExemptions: readonly MatchedExemption[];
  /** The check's resolved settings, for the remediator. */
  readonly settings: Readonly<Record<string, unknown>>;
  /**
   * Set when the resource keeps breaking again after automatic fixes: no automatic fix, a human decides
   * (approval), and the first detection of the spell opens a ticket naming who re-broke it.
   */
  readonly flapping?: {
    readonly rebreaks: readonly { readonly at: string; readonly by: string }[];
    readonly maxRebreaks: number;
    readonly windowSeconds: number;
    readonly ticket: boolean;
  };
  /** Who owns the resource (its owner tag, else the policy's default assignee): named in tickets and Slack. */
  readonly owner?: string;
  /** The blast-radius counter window (UTC hour of detection) and when its counter may expire. */
  readonly budget: { readonly window: string; readonly expiresAt: number };
}

export interface PlannedCallInput {
  readonly client: string;
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
}

export interface PlanInput {
  readonly calls: readonly PlannedCallInput[];
  readonly notes: readonly string[];
}

/**
 * What a detector starts the remediation workflow with; the execution's name is the finding id and its
 * episode. Detection does not plan: the workflow's Plan state asks the check's remediator. Only a finding
 * the detector could not judge carries its own plan (no calls, and notes that say why).
 */
export interface WorkflowStart {
  readonly finding: Finding;
  readonly decision: Decision;
  readonly plan?: PlanInput;
}

/** The workflow's state once planned: what approvals, tickets and the audit trail are given. */
export interface WorkflowInput extends WorkflowStart {
  readonly plan: PlanInput;
}

/** The hour a fix is counted in, `2026-11-20T10`, and an expiry two hours later (epoch seconds, for TTL). */
export function budgetWindow(now: Date): Decision['budget'] {
  const hour = now.toISOString().slice(0, 13);
  return { window: hour, expiresAt: Math.floor(Date.parse(`${hour}:00:00Z`) / 1000) + 2 * 3600 };
}

export function decisionOf<Id extends CheckId>(resolved: ResolvedSettings<Id>, now: Date): Decision {
  return {
    mode: resolved.mode,
    dryRun: resolved.dryRun,
    exempt: resolved.exemption !== undefined,
    ...(resolved.exemption ? { exemption: resolved.exemption } : {}),
    approvalTimeoutSeconds: resolved.approvalTimeoutSeconds,
    maxAutoFixesPerHour: resolved.maxAutoFixesPerHour,
    decidedBy: resolved.decidedBy,
    expiredExemptions: resolved.expiredExemptions,
    settings: resolved.settings,
    ...(resolved.owner ? { owner: resolved.owner } : {}),
    budget: budgetWindow(now),
  };
}
