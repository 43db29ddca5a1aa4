import type { Log, ReportingDescriptor, Result } from 'sarif';
import { CATALOGUE } from '../../core/catalogue';
import { ordered, type Report, type ReportRow } from './report';

/** SARIF's levels for Warden's severities: code-scanning dashboards rank by them. */
const LEVEL: Record<ReportRow['severity'], Result.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', unknown: 'warning' };
/** GitHub code scanning reads `security-severity` (0.0-10.0) to show critical, high, medium, low. */
const SECURITY_SEVERITY: Record<ReportRow['severity'], string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', unknown: '5.0' };

function rule(check: (typeof CATALOGUE)[number]): ReportingDescriptor {
  return {
    id: check.id,
    name: check.id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: check.title },
    fullDescription: { text: `Noncompliant when ${check.noncompliantWhen}.` },
    help: {
      text: `Fix: ${check.fix}. In CloudFormation: ${check.iacHint.cloudFormation}. In the CDK: ${check.iacHint.cdk}.`,
      markdown: `**Fix:** ${check.fix}.\n\n**CloudFormation:** ${check.iacHint.cloudFormation}\n\n**CDK:** ${check.iacHint.cdk}`,
    },
    defaultConfiguration: { level: LEVEL[check.severity] },
    properties: { tags: ['security', 'aws', check.resourceType], 'security-severity': SECURITY_SEVERITY[check.severity] },
  };
}

/**
 * SARIF 2.1.0: each check is a rule with its help text, each finding a result whose location is the
 * resource's ARN (a logical location: there is no file). Valid against the OASIS schema (a test holds it).
 */
export function toSarif(report: Report): Log {
  const rules = CATALOGUE.map(rule);
  const results = ordered(report.rows).map((row): Result => ({
    ruleId: row.check,
    ...(rules.some((entry) => entry.id === row.check) ? { ruleIndex: rules.findIndex((entry) => entry.id === row.check) } : {}),
    level: LEVEL[row.severity],
    kind: 'fail',
    message: { text: `${row.reason}. Decision: ${row.exemption ? `exempt by ${row.exemption.rule} (${row.exemption.reason})` : row.decision}.` },
    locations: [
      {
        logicalLocations: [{ fullyQualifiedName: row.resourceArn, kind: 'resource' }],
        message: { text: `${row.account}/${row.region}` },
      },
    ],
    ...(row.findingId ? { partialFingerprints: { wardenFindingId: row.findingId } } : {}),
    properties: {
      account: row.account,
      region: row.region,
      status: row.status,
      decision: row.decision,
      plannedFix: [...row.plannedFix],
      dryRun: row.dryRun,
      ...(row.managedBy ? { managedBy: `${row.managedBy.tool}:${row.managedBy.stack}/${row.managedBy.logicalId}` } : {}),
    },
    ...(row.exemption
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${row.exemption.rule}: ${row.exemption.reason}${row.exemption.expires ? ` (until ${row.exemption.expires})` : ''}`,
            },
          ],
        }
      : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Warden', rules } },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt, commandLine: report.source }],
        results,
      },
    ],
  };
}
