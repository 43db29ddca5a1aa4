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
  /** The policy rule that decided (e.g. `overrides[1].checks.apigateway-stage-waf`). */
  readonly decidedBy: string;
  readonly expiredExemptions: readonly MatchedExemption[];
  /** The check's resolved settings, for the remediator. */
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface PlannedCallInput {
  readonly client: string;
  readonly operation: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** The input of one remediation workflow execution; its name is the finding id. */
export interface WorkflowInput {
  readonly finding: Finding;
  readonly decision: Decision;
  readonly plan: { readonly calls: readonly PlannedCallInput[]; readonly notes: readonly string[] };
}

export function decisionOf<Id extends CheckId>(resolved: ResolvedSettings<Id>): Decision {
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
  };
}
