import { countsByCheck, ordered, type Report } from './report';

/** Text safe inside a Markdown table cell: pipes escaped, line breaks flattened. */
const cell = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
const code = (text: string) => (text ? `\`${text.replaceAll('`', "'")}\`` : '');

/** A report for tickets and pull requests: a summary by check, then each finding. */
export function toMarkdown(report: Report): string {
  const rows = ordered(report.rows);
  const lines = [
    `## Warden report: ${cell(report.scope)}`,
    '',
    `${rows.length} finding${rows.length === 1 ? '' : 's'} from ${report.source}, ${report.generatedAt}${rows.some((row) => row.dryRun) ? ' (dry run: nothing was changed)' : ''}.`,
    '',
  ];
  if (rows.length > 0) {
    lines.push('| check | severity | findings |', '| --- | --- | --- |');
    for (const entry of countsByCheck(rows)) lines.push(`| ${code(entry.check)} | ${entry.severity} | ${entry.findings} |`);
    lines.push('', '| severity | check | resource | why | decision | planned fix |', '| --- | --- | --- | --- | --- | --- |');
    for (const row of rows) {
      const decision = row.exemption
        ? `exempt by ${row.exemption.rule}: ${row.exemption.reason}${row.exemption.expires ? ` (until ${row.exemption.expires})` : ''}`
        : row.decision;
      lines.push(
        `| ${row.severity} | ${code(row.check)} | ${code(row.resourceArn)} | ${cell(row.reason)} | ${cell(decision)} | ${cell(row.plannedFix.join('; ') || '—')} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
