import type { AuditRecord } from '../../core/audit/audit-record';
import type { ScannedResource } from '../scan/scan-account';
import type { Simulation } from '../simulate/simulate';
import { type Report, type ReportRow, severityOf } from './report';

const calls = (planned: readonly { client: string; operation: string }[] | undefined) =>
  (planned ?? []).map((call) => `${call.client}.${call.operation}`);
const FINDING_STATUSES = ['NON_COMPLIANT', 'NOT_EVALUATED'];

/** A scan's findings: what the policy would do, nothing done (scan is read-only). */
export function scanReport(results: readonly ScannedResource[], scope: string, now: Date): Report {
  const rows = results
    .filter((result) => FINDING_STATUSES.includes(result.status))
    .map((result): ReportRow => ({
      check: result.check,
      severity: severityOf(result.check),
      account: result.account ?? '',
      region: result.region ?? '',
      resourceArn: result.resourceArn,
      status: result.status,
      reason: result.reason ?? '',
      decision: `${result.wouldDo ?? result.mode ?? ''} by ${result.decidedBy ?? ''}`,
      plannedFix: calls(result.plannedCalls),
      ...(result.exemption ? { exemption: result.exemption } : {}),
      ...(result.managedBy ? { managedBy: result.managedBy } : {}),
      ...(result.findingId ? { findingId: result.findingId } : {}),
      dryRun: true,
    }));
  return { source: 'warden scan', scope, generatedAt: now.toISOString(), rows };
}

/** A simulation's findings (a duplicate once), each with the outcome its dry run reached. */
export function simulationReport(simulation: Simulation, scope: { account: string; region: string; events: string }, now: Date): Report {
  const rows = simulation.results
    .flatMap((result) => result.findings)
    .filter((finding) => FINDING_STATUSES.includes(finding.status) && !finding.duplicateOf)
    .map((finding): ReportRow => ({
      check: finding.check,
      severity: severityOf(finding.check),
      account: scope.account,
      region: scope.region,
      resourceArn: finding.resourceArn,
      status: finding.status,
      reason: finding.reason ?? '',
      decision: `${finding.mode ?? ''} by ${finding.decidedBy ?? ''} → ${finding.outcome ?? ''}`,
      plannedFix: calls(finding.plannedCalls),
      ...(finding.exemption ? { exemption: finding.exemption } : {}),
      ...(finding.managedBy ? { managedBy: finding.managedBy } : {}),
      ...(finding.findingId ? { findingId: finding.findingId } : {}),
      dryRun: true,
    }));
  return { source: 'warden simulate', scope: `${scope.account}/${scope.region}, events ${scope.events}`, generatedAt: now.toISOString(), rows };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Audit records as report rows: each record's state, with the decision and calls it names. */
export function auditReport(records: readonly AuditRecord[], query: string, now: Date): Report {
  const rows = records.map((record): ReportRow => {
    const details = record.details;
    const planned = Array.isArray(details['plannedCalls']) ? (details['plannedCalls'] as { client: string; operation: string }[]) : [];
    const exemption = details['exemption'] as ReportRow['exemption'] | undefined;
    return {
      check: record.check,
      severity: severityOf(record.check),
      account: record.account,
      region: record.region,
      resourceArn: record.resourceArn,
      status: record.state,
      reason: text(details['reason']) || `${record.state} at ${record.time} by ${record.actor}`,
      decision: text(details['mode']) ? `${text(details['mode'])} by ${text(details['decidedBy'])}` : record.state,
      plannedFix: calls(planned),
      ...(exemption && typeof exemption.rule === 'string' ? { exemption } : {}),
      findingId: record.findingId,
      dryRun: details['dryRun'] === true,
    };
  });
  return { source: 'warden audit query', scope: query, generatedAt: now.toISOString(), rows };
}
