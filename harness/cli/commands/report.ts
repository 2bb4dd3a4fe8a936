import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsFile } from '../../results/metrics-file.js';
import { sampleBrowserHtml } from '../../report/sample-browser.js';
import { readManifestOf, REPORT_FORMATS, renderFormat, type ReportFormat } from '../../report/write-leaderboards.js';
import { parse } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';

export const REPORT_HELP = `usersim report RESULTS_DIR [--format txt|md|csv|tex|html] [--decimals N]

Prints the leaderboard of a finished run, rendered from RESULTS_DIR/metrics.json
alone (nothing is recomputed).`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { format: { type: 'string', short: 'f' }, decimals: { type: 'string' } },
    'report',
  );
  if (values.help) {
    process.stdout.write(`${REPORT_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new UsageError('usersim report needs exactly one RESULTS_DIR. See: usersim report --help');
  const format = (values.format ?? 'txt') as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got "${values.format}"`);
  const decimals = values.decimals === undefined ? 3 : Number(values.decimals);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 8)
    throw new UsageError(`--decimals needs a whole number 0–8, got "${values.decimals}"`);
  const path = join(positionals[0] as string, 'metrics.json');
  if (!existsSync(path))
    throw new UsageError(
      `${path} does not exist: RESULTS_DIR must be a finished run's folder (e.g. results/quickstart)`,
    );
  let metrics: MetricsFile;
  try {
    metrics = JSON.parse(readFileSync(path, 'utf8')) as MetricsFile;
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON (${(e as Error).message}); rerun the config to rewrite it`);
  }
  if (metrics.formatVersion !== 1)
    throw new UsageError(`${path} has format version ${String(metrics.formatVersion)}; this usersim reads version 1`);
  const manifest = readManifestOf(positionals[0] as string);
  const samples = format === 'html' ? sampleBrowserHtml(positionals[0] as string, { manifest }) : '';
  process.stdout.write(
    await renderFormat(metrics, format, {
      decimals,
      color: format === 'txt' && process.stdout.isTTY === true,
      manifest,
      ...(samples ? { samples } : {}),
      ...(process.stdout.columns ? { width: process.stdout.columns } : {}),
    }),
  );
  return EXIT.ok;
}
