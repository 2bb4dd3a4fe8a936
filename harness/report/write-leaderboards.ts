import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsFile } from '../runner/metrics-file.js';
import { renderCsv } from './render-csv.js';
import { renderMd } from './render-md.js';
import { renderTex } from './render-tex.js';
import { renderTxt } from './render-txt.js';
import { buildTables } from './table-model.js';

export type ReportFormat = 'txt' | 'md' | 'csv' | 'tex';
export const REPORT_FORMATS: readonly ReportFormat[] = ['txt', 'md', 'csv', 'tex'];

export function renderFormat(m: MetricsFile, format: ReportFormat, opts: { decimals: number; color?: boolean }): string {
  const tables = buildTables(m, { decimals: opts.decimals });
  switch (format) {
    case 'txt':
      return renderTxt(tables, { color: opts.color ?? false });
    case 'md':
      return renderMd(tables);
    case 'csv':
      return renderCsv(m);
    case 'tex':
      return renderTex(tables);
  }
}

/** Writes leaderboard.<format> for each format; every one is rendered from metrics.json alone. */
export function writeLeaderboards(dir: string, m: MetricsFile, formats: readonly ReportFormat[], decimals: number): string[] {
  return formats.map((f) => {
    const path = join(dir, `leaderboard.${f}`);
    writeFileSync(path, renderFormat(m, f, { decimals }));
    return path;
  });
}
