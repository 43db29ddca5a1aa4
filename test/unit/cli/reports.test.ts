import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { toCsv } from '../../../cli/reports/csv';
import { toMarkdown } from '../../../cli/reports/markdown';
import type { Report, ReportRow } from '../../../cli/reports/report';
import { toSarif } from '../../../cli/reports/sarif';
import { toHtml } from '../../../cli/reports/html';
import { parseFormats } from '../../../cli/reports/write-reports';
import { CATALOGUE } from '../../../core/catalogue';

const row = (overrides: Partial<ReportRow> = {}): ReportRow => ({
  check: 'apigateway-stage-waf',
  severity: 'medium',
  account: '111122223333',
  region: 'us-east-1',
  resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
  status: 'NON_COMPLIANT',
  reason: 'stage a1b2c3d4e5/prod has no AWS WAF web ACL',
  decision: 'approval by checks.apigateway-stage-waf → REPORTED',
  plannedFix: ['WAFV2.AssociateWebACL'],
  findingId: '7fcd2d1657b2d8305c62bc0e1be93f386f501738',
  dryRun: true,
  ...overrides,
});

const REPORT: Report = {
  source: 'warden simulate',
  scope: '111122223333/us-east-1',
  generatedAt: '2026-11-20T10:00:00.000Z',
  rows: [
    row(),
    row({
      check: 'lambda-function-public-access',
      severity: 'critical',
      resourceArn: 'arn:aws:lambda:us-east-1:111122223333:function:checkout',
      reason: 'the resource policy of checkout lets anyone lambda:InvokeFunction (public-invoke), "quoted"',
      plannedFix: ['Lambda.RemovePermission'],
      managedBy: { tool: 'cloudformation', stack: 'checkout-service', logicalId: 'CheckoutFunction' },
    }),
    row({
      check: 'dynamodb-table-encryption',
      resourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/sandbox-scratch',
      reason: '=HYPERLINK("http://attacker.example") | pipe',
      exemption: { rule: 'exemptions[1]', reason: 'sandbox tables hold no customer data', expires: '2027-01-31' },
      plannedFix: [],
    }),
  ],
};

describe('report formats', () => {
  it('CSV: one row per finding, critical first, quoted as RFC 4180 says, and no cell a spreadsheet would run as a formula', () => {
    const lines = toCsv(REPORT).split('\r\n');
    expect(lines[0]).toBe('severity,check,account,region,resourceArn,status,reason,decision,plannedFix,exemption,managedBy,findingId,dryRun');
    expect(lines).toHaveLength(REPORT.rows.length + 2);
    expect(lines[1]).toMatch(
      /^critical,lambda-function-public-access,.*,"the resource policy of checkout lets anyone lambda:InvokeFunction \(public-invoke\), ""quoted""",/,
    );
    expect(lines[1]).toContain(',cloudformation:checkout-service/CheckoutFunction,');
    expect(lines.find((line) => line.includes('sandbox-scratch'))).toContain(`,"'=HYPERLINK(""http://attacker.example"") | pipe",`);
    expect(lines.find((line) => line.includes('sandbox-scratch'))).toContain(
      'exemptions[1]: sandbox tables hold no customer data (until 2027-01-31)',
    );
  });

  it('Markdown: a summary by check, then each finding, with table cells escaped', () => {
    const text = toMarkdown(REPORT);
    expect(text).toContain('3 findings from warden simulate, 2026-11-20T10:00:00.000Z (dry run: nothing was changed).');
    expect(text).toContain('| `lambda-function-public-access` | critical | 1 |');
    expect(text).toContain('\\| pipe');
    expect(text).toContain('exempt by exemptions[1]: sandbox tables hold no customer data (until 2027-01-31)');
  });

  it('SARIF: valid against the OASIS 2.1.0 schema, every check a rule with help, every finding a result located by its ARN', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const log = toSarif(REPORT);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules?.map((rule) => rule.id)).toEqual(CATALOGUE.map((check) => check.id));
    expect(run.tool.driver.rules?.every((rule) => (rule.help?.text ?? '').startsWith('Fix: '))).toBe(true);
    expect(run.results?.[0]).toMatchObject({
      ruleId: 'lambda-function-public-access',
      level: 'error',
      locations: [{ logicalLocations: [{ fullyQualifiedName: 'arn:aws:lambda:us-east-1:111122223333:function:checkout', kind: 'resource' }] }],
    });
    expect(run.results?.find((result) => result.ruleId === 'dynamodb-table-encryption')?.suppressions?.[0]).toMatchObject({
      kind: 'external',
      status: 'accepted',
    });
    // The validator is not vacuous: a result without a message is refused.
    const broken = JSON.parse(JSON.stringify(log)) as { runs: { results: { message?: unknown }[] }[] };
    delete broken.runs[0]!.results[0]!.message;
    expect(validate(broken)).toBe(false);
  });

  it('HTML: self-contained, escaped, with no script', () => {
    const html = toHtml(REPORT);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('&quot;quoted&quot;');
    expect(html).not.toContain('"quoted"');
  });

  it('formats are checked before any work, with did-you-mean', () => {
    expect(parseFormats('out', undefined)).toEqual(['json', 'csv', 'html', 'sarif', 'md']);
    expect(parseFormats('out', 'sarif, CSV')).toEqual(['sarif', 'csv']);
    expect(() => parseFormats('out', 'sarf')).toThrow(
      "--formats: 'sarf' is not a report format (did you mean 'sarif'?); one of json, csv, html, sarif, md",
    );
    expect(() => parseFormats(undefined, 'csv')).toThrow('--formats needs --output-dir <dir>');
  });
});
