import { countsByCheck, ordered, type Report, type ReportRow, SEVERITY_ORDER } from './report';

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

const COLOURS: Record<ReportRow['severity'], string> = {
  critical: '#8b0000',
  high: '#d9480f',
  medium: '#e8a317',
  low: '#2b8a3e',
  unknown: '#868e96',
};

/** Findings per check as horizontal bars, coloured by the check's severity: inline SVG, no script. */
function chart(rows: readonly ReportRow[]): string {
  const counts = countsByCheck(rows);
  if (counts.length === 0) return '';
  const most = Math.max(...counts.map((entry) => entry.findings));
  const bar = 22;
  const label = 300;
  const width = 360;
  const bars = counts
    .map((entry, index) => {
      const y = index * (bar + 6);
      const length = Math.max(2, Math.round((entry.findings / most) * width));
      return (
        `<g class="bar" data-check="${escape(entry.check)}" data-findings="${entry.findings}">` +
        `<text x="${label - 8}" y="${y + 16}" text-anchor="end">${escape(entry.check)}</text>` +
        `<rect x="${label}" y="${y}" width="${length}" height="${bar}" fill="${COLOURS[entry.severity]}"><title>${escape(entry.check)}: ${entry.findings} (${entry.severity})</title></rect>` +
        `<text x="${label + length + 6}" y="${y + 16}">${entry.findings}</text></g>`
      );
    })
    .join('');
  return `<svg id="chart" role="img" aria-label="Findings per check" width="${label + width + 40}" height="${counts.length * (bar + 6)}" xmlns="http://www.w3.org/2000/svg">${bars}</svg>`;
}

function summary(rows: readonly ReportRow[]): string {
  const severities = SEVERITY_ORDER.filter((severity) => rows.some((row) => row.severity === severity));
  const tiles = severities
    .map(
      (severity) =>
        `<div class="tile" data-severity="${severity}" style="border-color:${COLOURS[severity]}"><b>${rows.filter((row) => row.severity === severity).length}</b> ${severity}</div>`,
    )
    .join('');
  const byCheck = countsByCheck(rows)
    .map(
      (entry) =>
        `<tr><td><code>${escape(entry.check)}</code></td><td class="sev ${entry.severity}">${entry.severity}</td><td>${entry.findings}</td></tr>`,
    )
    .join('');
  return `<div class="tiles">${tiles}</div><table id="by-check"><thead><tr><th>check</th><th>severity</th><th>findings</th></tr></thead><tbody>${byCheck}</tbody></table>`;
}

function findingsTable(rows: readonly ReportRow[]): string {
  const body = rows
    .map((row) => {
      const stack = row.managedBy
        ? `<div class="stack">managed by ${row.managedBy.tool} stack <b>${escape(row.managedBy.stack)}</b> (${escape(row.managedBy.logicalId)})</div>`
        : '';
      const fix = row.plannedFix.length > 0 ? `<ul>${row.plannedFix.map((call) => `<li><code>${escape(call)}</code></li>`).join('')}</ul>` : '—';
      return (
        `<tr class="finding" data-check="${escape(row.check)}" data-severity="${row.severity}">` +
        `<td class="sev ${row.severity}">${row.severity}</td><td><code>${escape(row.check)}</code></td>` +
        `<td><code class="arn">${escape(row.resourceArn)}</code><div class="where">${escape(row.account)} / ${escape(row.region)}</div>${stack}</td>` +
        `<td>${escape(row.reason)}</td><td>${escape(row.exemption ? `exempt by ${row.exemption.rule}` : row.decision)}${row.dryRun ? ' <i>(dry run)</i>' : ''}</td><td>${fix}</td></tr>`
      );
    })
    .join('');
  return `<table id="findings"><thead><tr><th>severity</th><th>check</th><th>resource</th><th>why</th><th>decision</th><th>planned fix</th></tr></thead><tbody>${body}</tbody></table>`;
}

function exemptions(rows: readonly ReportRow[]): string {
  const exempt = rows.filter((row) => row.exemption);
  if (exempt.length === 0) return '<p id="exemptions">No finding is exempt.</p>';
  const items = exempt
    .map(
      (row) =>
        `<tr class="exemption"><td>${escape(row.exemption?.rule ?? '')}</td><td><code>${escape(row.resourceArn)}</code></td><td>${escape(row.exemption?.reason ?? '')}</td><td>${escape(row.exemption?.expires ?? 'no expiry')}</td></tr>`,
    )
    .join('');
  return `<table id="exemptions"><thead><tr><th>rule</th><th>resource</th><th>reason</th><th>expires</th></tr></thead><tbody>${items}</tbody></table>`;
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#212529;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.meta{color:#666}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid #dee2e6;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f5}code{font:12px ui-monospace,Menlo,monospace;word-break:break-all}#by-check{width:auto}
.tiles{display:flex;gap:12px;margin:12px 0}.tile{border-left:6px solid;padding:8px 14px;background:#f8f9fa}.tile b{font-size:20px}
.sev{font-weight:600;text-transform:uppercase;font-size:12px}.critical{color:#8b0000}.high{color:#d9480f}.medium{color:#b07d05}.low{color:#2b8a3e}
.where,.stack{color:#666;font-size:12px}.overview{display:flex;gap:48px;flex-wrap:wrap;align-items:flex-start}ul{margin:0;padding-left:16px}svg text{font:12px system-ui,sans-serif}`;

/** A self-contained report people look at: summary, chart, findings, exemptions. No script, no external asset. */
export function toHtml(report: Report): string {
  const rows = ordered(report.rows);
  const dry = rows.some((row) => row.dryRun);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Warden report: ${escape(report.scope)}</title><style>${STYLE}</style></head>
<body>
<h1>Warden report: ${escape(report.scope)}</h1>
<div class="meta">${rows.length} finding${rows.length === 1 ? '' : 's'} from <code>${escape(report.source)}</code>, ${escape(report.generatedAt)}${dry ? '; a dry run: nothing was changed' : ''}</div>
<div class="overview"><section><h2>Summary</h2>${summary(rows)}</section><section><h2>Findings per check</h2>${chart(rows)}</section></div>
<h2>Findings</h2>${findingsTable(rows)}
<h2>Exemptions</h2>${exemptions(rows)}
</body></html>
`;
}
