import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { didYouMean } from '../../core/text/did-you-mean';
import { type Flags, UsageError } from '../io';
import { toCsv } from './csv';
import { toHtml } from './html';
import { toMarkdown } from './markdown';
import type { Report } from './report';
import { toSarif } from './sarif';

export const FORMATS = ['json', 'csv', 'html', 'sarif', 'md'] as const;
export type Format = (typeof FORMATS)[number];

const RENDER: Record<Format, { readonly file: string; readonly render: (report: Report) => string }> = {
  json: { file: 'warden-report.json', render: (report) => `${JSON.stringify(report, null, 2)}\n` },
  csv: { file: 'warden-report.csv', render: toCsv },
  html: { file: 'warden-report.html', render: toHtml },
  sarif: { file: 'warden-report.sarif', render: (report) => `${JSON.stringify(toSarif(report), null, 2)}\n` },
  md: { file: 'warden-report.md', render: toMarkdown },
};

/** The report flags every reporting command takes. */
/** The flags of every command that writes reports. */
export const REPORT_FLAGS = {
  'output-dir': { type: 'string', value: '<dir>', description: 'write reports there (warden-report.<format>)' },
  formats: { type: 'string', value: '<list>', description: `with --output-dir: any of ${FORMATS.join(',')} (default: all)` },
} as const satisfies Flags;

/** The formats a `--formats` flag names, checked before any work. */
export function parseFormats(outputDir: string | undefined, formats: string | undefined): readonly Format[] {
  if (formats !== undefined && outputDir === undefined) throw new UsageError('--formats needs --output-dir <dir>');
  if (outputDir === undefined) return [];
  const named = (formats ?? FORMATS.join(',')).split(',').map((format) => format.trim().toLowerCase());
  for (const format of named)
    if (!(FORMATS as readonly string[]).includes(format)) {
      const guess = didYouMean(format, FORMATS);
      throw new UsageError(
        `--formats: '${format}' is not a report format${guess ? ` (did you mean '${guess}'?)` : ''}; one of ${FORMATS.join(', ')}`,
      );
    }
  return [...new Set(named)] as Format[];
}

/** Writes the report in each format into the directory (made if absent); returns the files written. */
export function writeReports(report: Report, outputDir: string, formats: readonly Format[], cwd: string): string[] {
  const dir = resolve(cwd, outputDir);
  mkdirSync(dir, { recursive: true });
  return formats.map((format) => {
    const file = join(dir, RENDER[format].file);
    writeFileSync(file, RENDER[format].render(report));
    return file;
  });
}
