import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableNotes } from '../../../harness/report/notes.js';
import { buildTables } from '../../../harness/report/table-model.js';
import { renderFormat } from '../../../harness/report/write-leaderboards.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';
import { usersim } from '../cli/in-process.js';
import { EXAMPLES, runExample } from './example-runs.js';

/** Which of the TeX tools the machine has: .ci/run installs texlive-latex-recommended and poppler-utils. */
const have = (tool: string) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).error === undefined;
const haveTex = have('pdflatex') && have('pdftotext');
if (!haveTex && process.env['CI'] === 'true')
  throw new Error(
    'pdflatex or pdftotext is missing: .ci/run installs them (apt-get install texlive-latex-recommended poppler-utils)',
  );

const out = mkdtempSync(join(tmpdir(), 'usersim-examples-'));
const runs = new Map<string, { dir: string; metrics: MetricsFile }>();
beforeAll(async () => {
  for (const name of EXAMPLES) runs.set(name, await runExample(name, out));
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const run = (name: string) => runs.get(name) as { dir: string; metrics: MetricsFile };

describe.skipIf(!haveTex)('leaderboard.tex of every example config', () => {
  it('compiles with pdflatex in a minimal document using booktabs, with †, α and the paper values as text', () => {
    let daggers = 0;
    for (const name of EXAMPLES) {
      const tex = readFileSync(join(run(name).dir, 'leaderboard.tex'), 'utf8');
      const dir = mkdtempSync(join(out, `tex-${name}-`));
      writeFileSync(
        join(dir, 'paper.tex'),
        `\\documentclass[twocolumn]{article}\n\\usepackage{booktabs}\n\\begin{document}\n\\input{${join(run(name).dir, 'leaderboard.tex')}}\n\\end{document}\n`,
      );
      const latex = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'paper.tex'], {
        cwd: dir,
        encoding: 'utf8',
      });
      const log = readFileSync(join(dir, 'paper.log'), 'utf8');
      expect(
        latex.status,
        `${name}: ${log
          .split('\n')
          .filter((l) => l.startsWith('!'))
          .join(' ')}`,
      ).toBe(0);
      // Compiles cleanly: no table sticks out of the page.
      expect(log, name).not.toMatch(/Overfull \\hbox/);
      expect(tex).toMatch(/\\begin\{table\*\}/);
      expect(tex).toMatch(/\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
      const text = spawnSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'paper.pdf'), '-'], { encoding: 'utf8' }).stdout;
      // The symbols are typeset, not spelled out.
      expect(text, name).toContain('α = 0.05');
      expect(text, name).not.toMatch(/alpha|dagger|textbackslash|textasciicircum|\\\$/);
      if (tex.includes('$^\\dagger$')) {
        expect(text, name).toContain('†');
        daggers++;
      }
    }
    expect(daggers).toBeGreaterThan(0);
    const quick = readFileSync(join(run('quickstart').dir, 'leaderboard.tex'), 'utf8');
    expect(quick).toMatch(/paper 0\.550\\,\$\\(not)?in\$/);
    expect(quick).toMatch(/paper 0\.900\\,\$\\(not)?in\$/);
  });
});

describe('terminal tables of every example config', () => {
  it('fit 100 columns and never truncate a value (COLUMNS=100)', async () => {
    const saved = process.env['COLUMNS'];
    process.env['COLUMNS'] = '100';
    try {
      for (const name of EXAMPLES) {
        const r = await usersim(['report', run(name).dir]);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout, name).not.toContain('…');
        for (const line of r.stdout.split('\n')) expect([...line].length, `${name}: ${line}`).toBeLessThanOrEqual(100);
        // Every value of metrics.json is in the table, whole.
        for (const c of run(name).metrics.cells)
          for (const x of Object.values(c.metrics))
            if (x.value !== null) expect(r.stdout, `${name} ${c.method}`).toContain(x.value.toFixed(3));
      }
    } finally {
      if (saved === undefined) delete process.env['COLUMNS'];
      else process.env['COLUMNS'] = saved;
    }
  });
});

describe('marks in the example reports', () => {
  it('recommender-evaluation: part titles name no task twice; Sat of a simulator without an interview is —, explained; Liked has its unit', async () => {
    const m = run('recommender-evaluation').metrics;
    const tables = buildTables(m, { decimals: 3 });
    expect(tables.map((t) => t.title)).toEqual([
      'recommender-evaluation: synthetic — recommender random',
      'recommender-evaluation: synthetic — recommender pop',
      'recommender-evaluation: synthetic — recommender itemknn',
      'recommender-evaluation: synthetic — recommender ease',
      'recommender-evaluation: synthetic — τ vs NDCG@10',
    ]);
    const first = tables[0];
    const sat = first?.columns.findIndex((c) => c.key === 'satisfaction@random') ?? -1;
    const pop = first?.rows.find((r) => r.method === 'popularity');
    expect(pop?.label).toBe('popularity (baseline)');
    expect(pop?.cells[sat]).toMatchObject({ kind: 'absent', absence: 'no-value', text: '—' });
    const notes = tableNotes(first as NonNullable<typeof first>, 'md');
    expect(notes.some((n) => n.startsWith('—: the units ran without error but none gave this score'))).toBe(true);
    expect(notes.some((n) => /^Liked random: items per user/.test(n))).toBe(true);
    // Mock rows are never best, even where agent4rec's Sat is the largest number.
    for (const t of tables) for (const r of t.rows) if (r.mock) expect(r.cells.some((c) => c.best)).toBe(false);
    // The τ table has no interval and no paired test, so its notes explain neither.
    const tau = tables[4] as NonNullable<(typeof tables)[4]>;
    const tauNotes = tableNotes(tau, 'txt');
    expect(tauNotes.some((n) => n.startsWith('±') || n.startsWith('†') || n.includes(' at α = '))).toBe(false);
    expect(tauNotes.some((n) => n.startsWith('Values without an interval are point values'))).toBe(true);
  });

  it('opera-consistency: mock-judged columns labelled, the Human (OPeRA) reference row, no ±0.000', async () => {
    const { metrics, dir } = run('opera-consistency');
    const [t] = buildTables(metrics, { decimals: 3 });
    expect(t?.columns.filter((c) => c.judge?.mock).map((c) => c.key)).toEqual(['thought-action', 'persona-behaviour']);
    const refs = t?.rows.filter((r) => r.reference) ?? [];
    // The task's own reference row replaces the fixed means row: unjudged, never best, never tested.
    expect(refs.map((r) => r.label)).toEqual(['Human (OPeRA)']);
    const ref = refs[0];
    expect(ref?.cells.some((c) => c.best || c.significant)).toBe(false);
    expect(ref?.cells.slice(0, 2).map((c) => c.text)).toEqual(['—', '—']);
    const human = metrics.cells.find((c) => c.method === 'human');
    expect(Object.values(human?.metrics ?? {}).some((x) => x.comparison)).toBe(false);
    // Every synthetic test session starts with a search, so the row's pages are the mean the gaps use.
    const means = metrics.cells[0]?.metrics['pages-gap']?.extra?.['human'] as number;
    expect(ref?.cells[2]?.value).toBeCloseTo(means, 9);
    expect(ref?.cells[2]?.ci).toBeDefined();
    for (const f of ['txt', 'md', 'html'] as const) {
      const text = await renderFormat(metrics, f, { decimals: 3 });
      expect(text, f).toContain('(mock judge)');
      expect(text, f).not.toContain('±0.000');
      expect(text, f).not.toContain('[0.000, 0.000]');
      // Notes for the format they appear in.
      expect(text.includes('± half') || text.includes('±: half'), f).toBe(f === 'txt');
    }
    expect(readFileSync(join(dir, 'leaderboard.md'), 'utf8')).toContain('Human (OPeRA)');
  });
});
