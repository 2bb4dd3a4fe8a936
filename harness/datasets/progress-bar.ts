import type { DownloadProgress } from './download-file.js';

export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * A download progress line for stderr: redrawn in place on a terminal (at most
 * ten times a second), one line per 10% otherwise so that CI logs stay short.
 */
export function progressBar(
  label: string,
  sink: ProgressSink = process.stderr,
  now: () => number = () => Date.now(),
): (p: DownloadProgress) => void {
  let lastDraw = 0;
  let lastDecile = -1;
  let lastPrinted = -1;
  let started = -1;
  return (p) => {
    const t = now();
    if (started < 0) started = t;
    const pct = p.total ? Math.floor((100 * p.received) / p.total) : null;
    const rate = (p.received - p.resumedFrom) / Math.max(0.001, (t - started) / 1000);
    const text = `${label}  ${pct === null ? '' : `${String(pct).padStart(3)}%  `}${mb(p.received)}${p.total ? ` / ${mb(p.total)}` : ''}  ${mb(rate)}/s${p.resumedFrom > 0 ? `  (resumed at ${mb(p.resumedFrom)})` : ''}`;
    if (sink.isTTY) {
      if (p.done || t - lastDraw >= 100) {
        lastDraw = t;
        sink.write(`\r${text}\x1b[K${p.done ? '\n' : ''}`);
      }
      return;
    }
    const decile = pct === null ? Math.floor(p.received / (10 << 20)) : Math.floor(pct / 10);
    if (decile > lastDecile || (p.done && p.received !== lastPrinted)) {
      lastDecile = decile;
      lastPrinted = p.received;
      sink.write(`${text}\n`);
    }
  };
}

function mb(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}
