import { type painter } from '../io';
import type { Simulation } from './simulate';

type Paint = ReturnType<typeof painter>;

/** The human form of a simulation: one block per finding, coloured on a terminal. */
export function formatSimulation(simulation: Simulation, paint: Paint): string {
  const lines: string[] = [];
  for (const result of simulation.results) {
    lines.push(
      paint.bold(`event ${result.event}`) +
        paint.dim(` (${result.file}) → ${result.checks.length > 0 ? result.checks.join(', ') : 'no Warden rule matches'}`),
    );
    for (const finding of result.findings) {
      if (finding.status !== 'NON_COMPLIANT' && finding.status !== 'NOT_EVALUATED') {
        lines.push(`  ${paint.green('✓')} ${finding.check}  ${finding.resourceArn}  ${paint.dim(finding.status)}`);
        continue;
      }
      const mark = finding.status === 'NOT_EVALUATED' ? paint.yellow('?') : paint.red('✗');
      lines.push(
        `  ${mark} ${finding.check}  ${finding.resourceArn}  ${finding.status === 'NOT_EVALUATED' ? paint.yellow(finding.status) : paint.red(finding.status)}`,
      );
      lines.push(`      why:      ${finding.reason ?? ''}`);
      if (finding.managedBy)
        lines.push(
          `      stack:    ${finding.managedBy.tool} stack ${finding.managedBy.stack} (${finding.managedBy.logicalId}) ${paint.dim('its next deploy reverts a fix made here; see the plan notes')}`,
        );
      if (finding.flagged)
        lines.push(
          `      ${`${(finding.flaggedAs ?? 'flagged').toLowerCase()}:`} ${finding.flagged.join(', ')} ${paint.dim('(names only; values never leave the detector)')}`,
        );
      const exemption = finding.exemption;
      const decision = finding.exemptBy
        ? `exempt by ${finding.exemptBy}${exemption ? `: ${exemption.reason}${exemption.expires ? ` (until ${exemption.expires})` : ' (no expiry)'}` : ''}`
        : `${paint.cyan(finding.mode ?? '')} ${paint.dim(`by ${finding.decidedBy ?? ''}`)}`;
      lines.push(`      decision: ${decision} → ${paint.yellow(finding.outcome ?? '')} ${paint.dim('(dry run)')}`);
      if (finding.approval)
        lines.push(
          `      approval: would ask in Slack channel ${finding.approval.channel} (approvers ${finding.approval.approvers.join(', ')}), waiting up to ${Math.round(finding.approval.timeoutSeconds / 3600)} h`,
        );
      if (finding.ticket)
        lines.push(`      ticket:   would open a ${finding.ticket.provider} ticket${finding.ticket.where ? ` in ${finding.ticket.where}` : ''}`);
      if (finding.duplicateOf) lines.push(`      duplicate of finding ${finding.duplicateOf}: no second execution`);
      else if (!finding.exemptBy)
        for (const call of finding.plannedCalls ?? []) lines.push(`      would call ${call.client}.${call.operation} ${JSON.stringify(call.input)}`);
      lines.push(paint.dim(`      finding ${finding.findingId ?? ''}`));
    }
  }
  for (const problem of simulation.errors) {
    const where =
      `${problem.file}${problem.index !== undefined ? `[${problem.index}]` : ''}${problem.event ? ` (event ${problem.event})` : ''}` +
      (problem.check ? `, ${problem.check} ${problem.resourceArn ?? ''}` : '');
    lines.push(`${paint.red('error')} ${where}: ${problem.error}`);
  }
  const findings = simulation.results.flatMap((result) => result.findings);
  const noncompliant = findings.filter((finding) => finding.status === 'NON_COMPLIANT' && !finding.duplicateOf).length;
  lines.push('');
  lines.push(
    `${simulation.results.length} events, ${findings.length} resources evaluated, ${noncompliant} findings, ${simulation.errors.length} unusable inputs; ` +
      `audit trail: ${simulation.audit.records} records, hash chains ${simulation.audit.chainsVerified ? 'verified' : paint.red('BROKEN')}`,
  );
  return `${lines.join('\n')}\n`;
}
