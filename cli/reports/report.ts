import { CATALOGUE, isCheckId, type Severity } from '../../core/catalogue';
import type { ManagedBy } from '../../core/finding';

/** One finding as every report format shows it: names, reasons and planned calls only, never a secret value. */
export interface ReportRow {
  readonly check: string;
  readonly severity: Severity | 'unknown';
  readonly account: string;
  readonly region: string;
  readonly resourceArn: string;
  /** NON_COMPLIANT, NOT_EVALUATED, or an audit state. */
  readonly status: string;
  readonly reason: string;
  /** What the policy decided, e.g. `approval by checks.<check-id>`. */
  readonly decision: string;
  /** The calls the fix makes (or would make), `Client.Operation` each; empty for a ticket or a report. */
  readonly plannedFix: readonly string[];
  readonly exemption?: { readonly rule: string; readonly reason: string; readonly expires?: string };
  readonly managedBy?: ManagedBy;
  readonly findingId?: string;
  readonly dryRun: boolean;
}

export interface Report {
  /** `warden scan`, `warden simulate` or `warden audit query`. */
  readonly source: string;
  /** What was looked at: `111122223333/eu-west-1`, an events folder, a query. */
  readonly scope: string;
  readonly generatedAt: string;
  readonly rows: readonly ReportRow[];
}

/** The catalogue's severity of a check, `unknown` for a check this version does not know (an old audit record). */
export function severityOf(check: string): Severity | 'unknown' {
  return isCheckId(check) ? (CATALOGUE.find((entry) => entry.id === check)?.severity ?? 'unknown') : 'unknown';
}

export const SEVERITY_ORDER: readonly (Severity | 'unknown')[] = ['critical', 'high', 'medium', 'low', 'unknown'];

/** Rows by severity (critical first), then check and resource: the order every format lists them in. */
export function ordered(rows: readonly ReportRow[]): ReportRow[] {
  return [...rows].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.check.localeCompare(b.check) ||
      a.resourceArn.localeCompare(b.resourceArn),
  );
}

/** Counts of findings per check and severity, for summaries and the chart. */
export function countsByCheck(rows: readonly ReportRow[]): { check: string; severity: Severity | 'unknown'; findings: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.check, (counts.get(row.check) ?? 0) + 1);
  return [...counts.entries()]
    .map(([check, findings]) => ({ check, severity: severityOf(check), findings }))
    .sort(
      (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.findings - a.findings || a.check.localeCompare(b.check),
    );
}
