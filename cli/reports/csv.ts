import { ordered, type Report } from './report';

const COLUMNS = [
  'severity',
  'check',
  'account',
  'region',
  'resourceArn',
  'status',
  'reason',
  'decision',
  'plannedFix',
  'exemption',
  'managedBy',
  'findingId',
  'dryRun',
] as const;

/** A field as RFC 4180 quotes it; a leading = + - @ is prefixed so a spreadsheet never runs it as a formula. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One row per finding, with a header; CRLF line ends, as RFC 4180 has them. */
export function toCsv(report: Report): string {
  const lines = ordered(report.rows).map((row) =>
    [
      row.severity,
      row.check,
      row.account,
      row.region,
      row.resourceArn,
      row.status,
      row.reason,
      row.decision,
      row.plannedFix.join('; '),
      row.exemption ? `${row.exemption.rule}: ${row.exemption.reason}${row.exemption.expires ? ` (until ${row.exemption.expires})` : ''}` : '',
      row.managedBy ? `${row.managedBy.tool}:${row.managedBy.stack}/${row.managedBy.logicalId}` : '',
      row.findingId ?? '',
      String(row.dryRun),
    ]
      .map(field)
      .join(','),
  );
  return `${[COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
