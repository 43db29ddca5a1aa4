import type { HealthReport, StagedFix } from './remediator';

/*
 * A staged fix's first phase and health as the workflow sends them to the hub (the Slack confirmation,
 * the owner's ticket, the escalation ticket), read defensively: they crossed an account boundary.
 */

export interface StagedRequest {
  readonly staged?: StagedFix;
  readonly leftBehind: readonly string[];
}

export function stagedOf(applied: unknown): StagedRequest {
  const result = (applied ?? {}) as { staged?: StagedFix; leftBehind?: unknown };
  const leftBehind = Array.isArray(result.leftBehind) ? result.leftBehind.filter((line): line is string => typeof line === 'string') : [];
  return { ...(result.staged && Array.isArray(result.staged.ownerSteps) ? { staged: result.staged } : {}), leftBehind };
}

export function healthOf(value: unknown): HealthReport | undefined {
  const report = value as Partial<HealthReport> | undefined;
  return typeof report?.healthy === 'boolean' && typeof report.reason === 'string' ? (report as HealthReport) : undefined;
}
