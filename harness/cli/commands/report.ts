import { REPORT_FORMATS, renderFormat, type ReportFormat } from '../../report/write-leaderboards.js';
import { didYouMean } from '../../util/suggest.js';
import { numberFlag, type Parsed } from '../args.js';
import { sampleBrowserHtml } from '../../report/sample-browser.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { readRun } from '../read-run.js';
import { terminalWidth } from '../terminal-width.js';

export async function reportCommand(args: Parsed): Promise<number> {
  const dir = args.positionals[0] as string;
  const format = (args.string('format') ?? 'txt') as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    throw new UsageError(
      `--format must be one of ${REPORT_FORMATS.join(', ')}, got "${format}".${didYouMean(format, REPORT_FORMATS)}`,
    );
  const decimals = numberFlag(args, 'decimals', { integer: true, min: 0, max: 8, what: 'a whole number 0–8' }) ?? 3;
  const { metrics, manifest } = readRun(dir);
  const samples = format === 'html' ? sampleBrowserHtml(dir, { manifest }) : '';
  process.stdout.write(
    await renderFormat(metrics, format, {
      decimals,
      color: format === 'txt' && process.stdout.isTTY === true,
      manifest,
      width: terminalWidth(),
      ...(samples ? { samples } : {}),
    }),
  );
  return EXIT.ok;
}
