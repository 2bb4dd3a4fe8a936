import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PredictionLine } from './prediction-line.js';

export interface PredictionFile {
  readonly file: string;
  readonly dataset: string;
  readonly task: string;
  /** The method id (with a .seedN suffix when the run has several seeds). */
  readonly method: string;
}

/**
 * A results dir's prediction files, predictions/<dataset>/<task>/<method>.jsonl,
 * in name order; a shard's files only where no merged file exists yet.
 */
export function predictionFiles(dir: string): PredictionFile[] {
  const root = join(dir, 'predictions');
  if (!existsSync(root)) return [];
  const out: PredictionFile[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl')) {
        const parts = relative(root, p).split('/');
        if (parts.length !== 3) continue;
        const shard = /\.shard-\d+-of-\d+\.jsonl$/.test(e.name);
        if (shard && existsSync(p.replace(/\.shard-\d+-of-\d+\.jsonl$/, '.jsonl'))) continue;
        const method = (parts[2] as string).replace(/\.jsonl$/, '').replace(/\.shard-\d+-of-\d+$/, '');
        out.push({ file: p, dataset: parts[0] as string, task: parts[1] as string, method });
      }
    }
  };
  walk(root);
  return out;
}

/** The lines of a prediction file; a torn last line (an interrupted write, cut off by the next run) is skipped. */
export function readPredictionLines(file: string): PredictionLine[] {
  const out: PredictionLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    try {
      out.push(JSON.parse(text) as PredictionLine);
    } catch {
      // torn line
    }
  }
  return out;
}
