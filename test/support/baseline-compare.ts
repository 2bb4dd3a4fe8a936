/**
 * npx tsx test/support/baseline-compare.ts BASELINE_RESULTS_DIR NEW_RESULTS_DIR
 *
 * Shows that a results folder says what a baseline's said: metrics.json byte
 * for byte once the fields deliberately moved or added are taken out of the
 * baseline's (the per-unit fields, now in unit-scores.bin; "estimator", added
 * after the baseline), every moved field equal to the baseline's in
 * unit-scores.bin, and comparisons.json byte for byte. Exit 0 when all hold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { MetricsFile } from '../../harness/results/metrics-file.ts';
import { cellKeyOf, UNIT_FIELDS, UnitScores } from '../../harness/results/unit-scores.ts';

const [baseDir, newDir] = process.argv.slice(2) as [string, string];
const base = JSON.parse(readFileSync(join(baseDir, 'metrics.json'), 'utf8')) as MetricsFile;
const newText = readFileSync(join(newDir, 'metrics.json'), 'utf8');
const mine = JSON.parse(newText) as MetricsFile;
const units = UnitScores.read(join(newDir, 'unit-scores.bin'));
const problems: string[] = [];
const stripped = {
  ...base,
  cells: base.cells.map((c, i) => ({
    ...c,
    metrics: Object.fromEntries(
      Object.entries(c.metrics).map(([k, m]) => {
        const rest: Record<string, unknown> = { ...m };
        const moved = units.get(cellKeyOf(c), k);
        for (const f of UNIT_FIELDS) {
          if (!isDeepStrictEqual(rest[f], moved?.[f]))
            problems.push(`${JSON.stringify(cellKeyOf(c))} ${k}: ${f} differs in unit-scores.bin`);
          delete rest[f];
        }
        // The baseline predates the estimator field; take the new file's.
        const est = mine.cells[i]?.metrics[k]?.estimator;
        const out: Record<string, unknown> = {};
        for (const [f, v] of Object.entries(rest)) {
          out[f] = v;
          if (f === 'n' && est !== undefined && !('estimator' in rest)) out['estimator'] = est;
        }
        return [k, out];
      }),
    ),
  })),
};
const expected = `${JSON.stringify(stripped, null, 2)}\n`;
if (expected !== newText) problems.push('metrics.json differs from the baseline without the moved fields');
const cmpBase = readFileSync(join(baseDir, 'comparisons.json'), 'utf8');
const cmpNew = readFileSync(join(newDir, 'comparisons.json'), 'utf8');
if (cmpBase !== cmpNew) problems.push('comparisons.json differs');
const size = (p: string) => readFileSync(p).length;
process.stdout.write(
  `${problems.length === 0 ? 'same' : 'DIFF'}: metrics.json ${size(join(baseDir, 'metrics.json'))} → ${newText.length} bytes (+ unit-scores.bin ${size(join(newDir, 'unit-scores.bin'))})\n`,
);
for (const p of problems.slice(0, 20)) process.stdout.write(`  ${p}\n`);
process.exit(problems.length === 0 ? 0 : 1);
