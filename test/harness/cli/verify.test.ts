import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyRuns } from '../../../harness/cli/commands/verify.ts';
import { loadConfig } from '../../../harness/config/load.ts';
import { loadReported, notComparable } from '../../../harness/results/reported-values.ts';
import { runConfig } from '../../../harness/runner/run.ts';
import { sharedDataset } from '../../support/shared-data.ts';
import { usersim } from './in-process.ts';

const tmp = mkdtempSync(join(tmpdir(), 'usersim-verify-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = { info: () => {}, warn: () => {} };
const ml100k = sharedDataset('movielens-100k');

// The local Table 2 config, cut to recagent and mf and five users so it runs in seconds.
const SMALL = [
  `output=${tmp}`,
  `cache.path=${join(tmp, 'llm.sqlite')}`,
  'methods=[{plugin: recagent}, {plugin: mf}]',
  'report.baseline=mf',
  'report.B=200',
  'tasks.0.users=5',
];

describe('usersim verify and the data a paper measured on', () => {
  it.skipIf(ml100k === null)(
    "calls the paper's MovieLens-1M cells not comparable on the ML-100K local config, counted apart",
    async () => {
      const cfg = await loadConfig('configs/paper/local/table2-ml100k.yaml', { sets: SMALL, env: {} });
      const out = await runConfig(cfg, { log: quiet, fresh: true });
      const s = verifyRuns([out.dir], 0);
      // recagent × rmse and mae on movielens (mf has no reported value).
      expect(s.rows.map((r) => [r.cell.method, r.key, r.verdict])).toEqual([
        ['recagent', 'rmse', 'not comparable'],
        ['recagent', 'mae', 'not comparable'],
      ]);
      expect([s.inside, s.outside, s.notComparable]).toEqual([0, 0, 2]);
      expect([...s.reasons.keys()]).toEqual([
        'paper: MovieLens-1M, Agent4Rec split (its 1,000 sampled users); ours: movielens 100k split agent4rec',
      ]);

      const r = await usersim(['verify', out.dir]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('0/0 comparable reported values inside our CI, 0 outside; 2 not comparable');
      // The model, n and errors of each cell are shown.
      expect(r.stdout).toMatch(/│ movielens │ rating\s+│ recagent │ mock\s+│ rmse\s+│ 5\s+│ 0\s+│/);
      expect(r.stdout).not.toContain('OUTSIDE');

      // The same run against a file whose data is ML-100K with this split: compared (inside or outside).
      const file = join(tmp, 'ml100k-reported.yaml');
      writeFileSync(
        file,
        `source: test
data:
  ml100k: { label: 'MovieLens-100K, Agent4Rec split', match: [{ plugin: movielens, variant: 100k, split: agent4rec }] }
cells:
  - { dataset: movielens, data: ml100k, task: rating, method: recagent, metric: rmse, value: 99 }
  - { dataset: movielens, data: ml100k, task: rating, method: recagent, metric: mae, value: 99 }
`,
      );
      const cfg2 = await loadConfig('configs/paper/local/table2-ml100k.yaml', {
        sets: [...SMALL, `report.reported=${file}`, 'name=verify-comparable'],
        env: {},
      });
      const out2 = await runConfig(cfg2, { log: quiet, fresh: true });
      const s2 = verifyRuns([out2.dir], 0);
      expect(s2.rows.map((x) => x.verdict)).toEqual(['outside', 'outside']);
      const r2 = await usersim(['verify', out2.dir, out.dir]);
      expect(r2.status).toBe(1);
      expect(r2.stdout).toContain('0/2 comparable reported values inside our CI, 2 outside; 2 not comparable');
    },
    120_000,
  );

  it('matches a reported cell on each field its data names, and names the mismatch', () => {
    const cells = loadReported(resolve('configs/reported/alignuser-2026.yaml')).cells;
    const ml = cells.find((c) => c.dataset === 'movielens' && c.method === 'alignuser' && c.task === 'rating');
    expect(ml?.data?.key).toBe('ml-1m-agent4rec');
    expect(notComparable(ml!, { plugin: 'movielens', variant: '1m', split: 'agent4rec' })).toBeNull();
    expect(notComparable(ml!, { plugin: 'agent4rec-ml1m', variant: null, split: 'agent4rec' })).toBeNull();
    expect(notComparable(ml!, { plugin: 'movielens', variant: '1m', split: 'random' })).toMatch(
      /ours: movielens 1m split random/,
    );
    const opera = cells.find((c) => c.task === 'next-action' && c.method === 'alignuser');
    expect(notComparable(opera!, { plugin: 'opera', variant: 'filtered', split: 'sessions' })).toBeNull();
    expect(notComparable(opera!, { plugin: 'synthetic-sessions', variant: null, split: 'sessions' })).toMatch(
      /paper: OPeRA filtered/,
    );
    // Every cell of the paper's file names its data.
    expect(cells.every((c) => c.data !== undefined)).toBe(true);
  });

  it('refuses a cell that names no data, or data the file does not define', () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(
      file,
      `source: t\ndata:\n  a: { label: A, match: [{ plugin: movielens }] }\ncells:\n  - { dataset: d, task: t, method: m, metric: x, value: 1 }\n`,
    );
    expect(() => loadReported(file)).toThrow(/cells\[0\] names no data: \(one of a\)/);
    writeFileSync(
      file,
      `source: t\ndata:\n  a: { label: A, match: [{ plugin: movielens }] }\ncells:\n  - { dataset: d, data: b, task: t, method: m, metric: x, value: 1 }\n`,
    );
    expect(() => loadReported(file)).toThrow(/cells\[0\]\.data "b" is not a key of "data:" \(a\)/);
    writeFileSync(file, `source: t\ndata:\n  a: { label: A, match: [{ plugin: movielens, version: 2 }] }\ncells: []\n`);
    expect(() => loadReported(file)).toThrow(/data\.a\.match\[0\] has "version"/);
  });
});
