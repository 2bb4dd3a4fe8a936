import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../results/manifest.js';
import { writeText } from '../results/write-text.js';
import type { MetricsFile } from '../results/metrics-file.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderMd } from './render-md.js';
import { renderTex } from './render-tex.js';
import { renderTxt } from './render-txt.js';
import { sampleBrowserHtml } from './sample-browser.js';
import { buildTables } from './table-model.js';

/** Metric columns of one LaTeX table: six stacked cells fit the text width of a two-column paper. */
export const TEX_COLUMNS = 6;

export type ReportFormat = 'txt' | 'md' | 'csv' | 'tex' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['txt', 'md', 'csv', 'tex', 'html'];

export async function renderFormat(
  m: MetricsFile,
  format: ReportFormat,
  opts: { decimals: number; color?: boolean; width?: number; manifest?: Manifest | null; samples?: string },
): Promise<string> {
  const tables = () => buildTables(m, { decimals: opts.decimals });
  switch (format) {
    case 'txt':
      return renderTxt(tables(), {
        color: opts.color ?? false,
        decimals: opts.decimals,
        ...(opts.width ? { width: opts.width } : {}),
      });
    case 'md':
      return renderMd(tables(), opts.decimals);
    case 'csv':
      return renderCsv(m);
    case 'tex':
      // A page is narrower than a terminal: at most TEX_COLUMNS metric columns per table, no run columns.
      return renderTex(buildTables(m, { decimals: opts.decimals, maxColumns: TEX_COLUMNS, extras: false }), {
        decimals: opts.decimals,
      });
    case 'html':
      return renderHtml(m, {
        decimals: opts.decimals,
        manifest: opts.manifest ?? null,
        ...(opts.samples ? { samples: opts.samples } : {}),
      });
  }
}

export function readManifestOf(dir: string): Manifest | null {
  const p = join(dir, 'manifest.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Manifest) : null;
}

/** Writes leaderboard.<format> for each format; every one is rendered from metrics.json (and the manifest's run facts). */
export async function writeLeaderboards(
  dir: string,
  m: MetricsFile,
  formats: readonly ReportFormat[],
  decimals: number,
): Promise<string[]> {
  const manifest = readManifestOf(dir);
  const out: string[] = [];
  for (const f of formats) {
    const path = join(dir, `leaderboard.${f}`);
    const samples = f === 'html' ? sampleBrowserHtml(dir, { manifest }) : '';
    writeText(path, await renderFormat(m, f, { decimals, manifest, ...(samples ? { samples } : {}) }));
    out.push(path);
  }
  return out;
}
