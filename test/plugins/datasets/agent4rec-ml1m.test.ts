import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import agent4recMl1m from '../../../plugins/datasets/agent4rec-ml1m/index.ts';
import { DataError } from '../../../harness/data/data-error.ts';
import { loadConfig } from '../../../harness/config/load.ts';
import { runConfig } from '../../../harness/runner/run.ts';
import type { MetricsFile } from '../../../harness/results/metrics-file.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { fixture } from '../../fixtures/datasets/agent4rec-ml1m.ts';
import { sharedDataset } from '../../support/shared-data.ts';

const SHARED = sharedDataset('agent4rec-ml1m');
const tmp = mkdtempSync(join(tmpdir(), 'usersim-a4r-ml1m-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ctx = (configDir = '/') => ({ seed: 1, rng: new Rng(1), configDir, log: { info() {}, warn() {} } });

describe('agent4rec-ml1m on files this test writes', () => {
  it('reads the published split as its only split, item summaries and mean ratings, released profiles, agg_top_25 ratings', async () => {
    const dir = mkdtempSync(join(tmp, 'fx-'));
    await fixture(dir);
    const d = await agent4recMl1m.load({ path: dir }, ctx());
    if (d.kind !== 'ratings') throw new Error('ratings expected');
    expect(d.split.name).toBe('agent4rec-published');
    expect([d.users.length, d.items.length]).toEqual([30, 40]);
    expect([d.split.train.length, d.split.valid.length, d.split.test.length]).toEqual([300, 210, 240]);
    expect(d.items[3]).toMatchObject({ id: '3', title: 'Film 3, The (1999)', description: 'A film numbered 3.' });
    expect(d.items[3]?.meanRating).toBeCloseTo(3.1, 12);
    // the first 6 training movies of each user are rated (agg_top_25.csv), the other 4 are not; held-out never
    expect(d.split.train.filter((x) => x.rating !== null)).toHaveLength(180);
    expect([...d.split.valid, ...d.split.test].every((x) => x.rating === null)).toBe(true);
    expect(d.users[1]).toMatchObject({
      id: '1',
      attributes: { gender: 'female', age: '25-34', occupation: 'writer' },
      published: {
        traits: { activity: 2, diversity: 3, conformity: 2 },
        taste: ['I like Comedy films.', 'I enjoy twists.'],
      },
    });
    expect(d.counts).toMatchObject({ ratedTrainingInteractions: 180, aggTop25TitlesUnmatched: 0 });
  });

  it('a bad trait level or an unknown item is one DataError naming the file and line', async () => {
    const dir = mkdtempSync(join(tmp, 'bad-'));
    await fixture(dir);
    writeFileSync(join(dir, 'simulation/user_statistic.csv'), 'user_id,activity,diversity,conformity\n0,1,4,2\n');
    const err = await agent4recMl1m.load({ path: dir }, ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(String((err as Error).message)).toMatch(/user_statistic\.csv:2: diversity is "4"/);
    await fixture(dir);
    writeFileSync(join(dir, 'cf_data/test.txt'), '0 999\n');
    const unknown = await agent4recMl1m.load({ path: dir }, ctx()).catch((e: unknown) => e);
    expect(String((unknown as Error).message)).toMatch(
      /test\.txt: user 0 has item 999, which movie_detail\.csv does not list/,
    );
  });

  it('without path: or a fetched copy, says where the official files are and how to fetch them', async () => {
    const prev = process.env['USERSIM_DATASETS_DIR'];
    process.env['USERSIM_DATASETS_DIR'] = join(tmp, 'empty-cache');
    try {
      const err = await agent4recMl1m.load({}, ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      expect((err as Error).message).toContain('usersim datasets fetch agent4rec-ml1m');
      expect((err as Error).message).toContain('raw.githubusercontent.com/LehengTHU/Agent4Rec/f4ee73e');
      expect((err as Error).message.split('\n')).toHaveLength(1);
    } finally {
      if (prev === undefined) delete process.env['USERSIM_DATASETS_DIR'];
      else process.env['USERSIM_DATASETS_DIR'] = prev;
    }
  });
});

describe.skipIf(SHARED === null)("agent4rec-ml1m on Agent4Rec's released files (../shared)", () => {
  it('1,000 users, 3,292 items that all occur in train, released traits and tastes for every user', async () => {
    const d = await agent4recMl1m.load({ path: SHARED as string }, ctx());
    if (d.kind !== 'ratings') throw new Error('ratings expected');
    expect([d.users.length, d.items.length]).toEqual([1000, 3292]);
    expect([d.split.train.length, d.split.valid.length, d.split.test.length]).toEqual([74271, 55486, 55492]);
    expect(new Set(d.split.train.map((x) => x.item)).size).toBe(3292);
    expect(d.counts).toMatchObject({
      ratedTrainingInteractions: 22924,
      aggTop25TitlesUnmatched: 0,
      usersWithReleasedTraits: 1000,
      usersWithReleasedTaste: 1000,
    });
    // MANIFEST.md's check: user 0 is female, under 18, with 21 rated movies listed
    expect(d.users[0]?.attributes).toMatchObject({ gender: 'female', age: 'Under 18' });
    expect(d.split.train.filter((x) => x.user === '0' && x.rating !== null)).toHaveLength(21);
    expect(d.items[0]).toMatchObject({ title: 'Toy Story (1995)', meanRating: expect.closeTo(4.1468, 4) });
  });

  it('preference discrimination runs over all 1,000 users, one agent4rec call per unit, every distractor a training item, 20//(m+1) positives and m times as many negatives', async () => {
    const dir = mkdtempSync(join(tmp, 'run-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      `name: a4r-ml1m
seed: 3
concurrency: 32
output: ${join(dir, 'results')}
cache: { path: ${join(dir, 'llm.sqlite')} }
llm: { plugin: offline }
datasets:
  - { plugin: agent4rec-ml1m, id: ml1m, path: ${SHARED} }
methods:
  - { plugin: agent4rec }
tasks:
  - { task: preference-discrimination, ratios: [1, 9] }
report: { B: 200 }
`,
    );
    const out = await runConfig(await loadConfig(file, { env: {} }), { log: { info() {}, warn() {} }, fresh: true });
    const d = await agent4recMl1m.load({ path: SHARED as string }, ctx());
    if (d.kind !== 'ratings') throw new Error('ratings expected');
    const train = new Set(d.split.train.map((x) => x.item));
    const seen = new Map<string, Set<string>>();
    for (const x of [...d.split.train, ...d.split.valid, ...d.split.test]) {
      const s = seen.get(x.user) ?? new Set<string>();
      s.add(x.item);
      seen.set(x.user, s);
    }
    const lines = readFileSync(join(out.dir, 'predictions/ml1m/preference-discrimination/agent4rec.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            user: string;
            items: string[];
            gold: { ratio: number; positives: string[] };
            error: unknown;
            usage: { calls: number };
          },
      );
    expect(lines).toHaveLength(2000);
    expect(new Set(lines.map((l) => l.user)).size).toBe(1000);
    for (const l of lines) {
      const m = l.gold.ratio;
      expect(l.error).toBeNull();
      // released tastes: no taste call, one list call per unit
      expect(l.usage.calls).toBe(1);
      expect(l.gold.positives).toHaveLength(Math.floor(20 / (m + 1)));
      const pos = new Set(l.gold.positives);
      const negatives = l.items.filter((i) => !pos.has(i));
      expect(negatives).toHaveLength(m * l.gold.positives.length);
      for (const n of negatives) {
        expect(train.has(n)).toBe(true);
        expect(seen.get(l.user)?.has(n)).toBe(false);
      }
    }
    const manifest = JSON.parse(readFileSync(join(out.dir, 'manifest.json'), 'utf8')) as {
      config: { tasks: Array<Record<string, unknown>> };
    };
    expect(manifest.config.tasks[0]?.['negativesFrom']).toBe('train-items');
    const metrics = JSON.parse(readFileSync(join(out.dir, 'metrics.json'), 'utf8')) as MetricsFile;
    expect(metrics.cells[0]?.metrics['accuracy@1:9']?.n).toBe(1000);
  }, 120_000);
});
