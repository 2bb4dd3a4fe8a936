import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.ts';
import type { MetricsFile } from '../../../harness/results/metrics-file.ts';
import { runConfig } from '../../../harness/runner/run.ts';

const tmp = mkdtempSync(join(tmpdir(), 'usersim-local-task-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = { info: () => {}, warn: () => {} };

// A contributor's task, written against harness/plugin-api.ts alone: the
// simulator rates one held-out item among four never-interacted ones, and the
// unit scores 1 when the held-out item gets the top rating.
const TOP1 = `import { defineTask, Rng, Type, UnitError, type MetricValue } from '${join(process.cwd(), 'harness/plugin-api.ts')}';

export default defineTask({
  name: 'top1',
  description: 'Pick the held-out item out of five by predicted rating; hit rate.',
  version: 1,
  needs: { data: 'ratings', capabilities: ['rate'], ratingScale: true },
  options: Type.Object({ distractors: Type.Integer({ minimum: 1, default: 4 }) }, { additionalProperties: false }),
  choices: ['top1: ties go to the item listed first'],
  metrics: () => [{ key: 'hit', label: 'Top-1 hit', direction: 'higher', unitScore: 'hit' }],
  buildUnits(dataset, options, rng) {
    const seen = new Map<string, Set<string>>();
    for (const x of [...dataset.split.train, ...dataset.split.valid, ...dataset.split.test])
      (seen.get(x.user) ?? seen.set(x.user, new Set()).get(x.user))?.add(x.item);
    const firstHeld = new Map<string, string>();
    for (const x of dataset.split.test) if (!firstHeld.has(x.user)) firstHeld.set(x.user, x.item);
    const items = dataset.items.map((i) => i.id);
    return [...firstHeld].map(([user, held]) => {
      const r = Rng.derive(rng.nextUint32(), user);
      const pool = items.filter((i) => !seen.get(user)?.has(i));
      return { key: user, user, items: r.shuffle([held, ...r.sample(pool, options.distractors)]), gold: held };
    });
  },
  async run(sim, user, items, ctx) {
    if (!sim.rate) throw new UnitError('method', 'no rate capability');
    return sim.rate(user, items, ctx);
  },
  // The humans' answer: the held-out item is the one they chose.
  reference: {
    label: 'Human (test split)',
    async run(unit) {
      return unit.items.map((item) => ({ item, rating: item === unit.gold ? 5 : 1 }));
    },
  },
  score(unit, answer) {
    let best = answer[0];
    for (const a of answer) if (best && a.rating > best.rating) best = a;
    return { hit: best?.item === unit.gold ? 1 : 0 };
  },
  aggregate(done) {
    const s = done.map((d) => d.scores['hit'] as number);
    const hit: MetricValue = {
      value: s.reduce((a, b) => a + b, 0) / s.length,
      n: s.length,
      estimator: 'mean',
      unitIds: done.map((d) => d.id),
      unitScores: s,
    };
    return { hit };
  },
});
`;

describe('a task added as one file', () => {
  it('runs beside the standard tasks, with no core file edited', async () => {
    writeFileSync(join(tmp, 'top1.ts'), TOP1);
    const file = join(tmp, 'config.yaml');
    writeFileSync(
      file,
      `name: local-task
seed: 3
output: ${join(tmp, 'results')}
cache: { path: ${join(tmp, 'llm.sqlite')} }
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-ratings, users: 40, items: 80 }
methods:
  - { plugin: popularity }
  - { plugin: zero-shot }
tasks:
  - { task: rating }
  - { task: ./top1.ts, distractors: 4 }
report: { baseline: popularity, B: 200 }
`,
    );
    const cfg = await loadConfig(file, { env: {}, allowLocalPlugins: true });
    const out = await runConfig(cfg, { log: quiet, fresh: true });
    const metrics = JSON.parse(readFileSync(join(out.dir, 'metrics.json'), 'utf8')) as MetricsFile;
    expect(metrics.columns.map((c) => c.task)).toEqual(['rating', 'top1']);
    const top1 = metrics.cells.filter((c) => c.task === 'top1');
    expect(top1.map((c) => [c.method, c.status])).toEqual([
      ['popularity', 'ok'],
      ['zero-shot', 'ok'],
      ['human', 'ok'],
    ]);
    // The reference row: made by the task from its data, never compared.
    const human = top1.find((c) => c.method === 'human');
    expect(human?.reference).toEqual({ label: 'Human (test split)' });
    expect(human?.metrics['hit']?.value).toBe(1);
    expect(human?.metrics['hit']?.comparison).toBeUndefined();
    for (const c of top1) {
      expect(c.units.done).toBe(c.units.total);
      expect(c.units.total).toBeGreaterThan(20);
      const hit = c.metrics['hit'];
      expect(hit?.value).toBeGreaterThanOrEqual(0);
      expect(hit?.ci).toBeDefined();
    }
    expect(top1.find((c) => c.method === 'zero-shot')?.metrics['hit']?.comparison?.baseline).toBe('popularity');
    // Its code is outside harness/ and plugins/, where a rerun stamp could see it changing: reruns take the full path.
    expect(existsSync(join(out.dir, 'rerun-stamp.json'))).toBe(false);
  });

  it('is refused without --allow-local-plugins', async () => {
    const file = join(tmp, 'refused.yaml');
    writeFileSync(
      file,
      `name: refused\nllm: { plugin: offline }\ndatasets: [{ plugin: synthetic-ratings }]\nmethods: [{ plugin: popularity }]\ntasks: [{ task: ./top1.ts }]\n`,
    );
    await expect(loadConfig(file, { env: {} })).rejects.toThrow(/local plugin file.*--allow-local-plugins/);
  });
});
