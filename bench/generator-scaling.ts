import type { DatasetPlugin, RatingsDataset } from '../harness/plugin-api.js';
import { Rng } from '../harness/util/rng.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import syntheticRatings from '../plugins/datasets/synthetic-ratings/index.js';
import { writeOperaTables } from '../plugins/datasets/synthetic-sessions/opera-tables.js';

const SIZES = [200, 2_000, 20_000];
const TARGET_GROWTH = 12;

/** synthetic-ratings' options as the config loader fills them, for `users` users and 2 × users items. */
function options(users: number): Record<string, unknown> {
  return {
    users,
    items: 2 * users,
    genres: 12,
    minRatings: 30,
    maxRatings: 60,
    noise: 0.6,
    dataSeed: 1,
    split: 'random',
    splitSeed: 101,
    minLiked: 10,
    likedAbove: 3,
  };
}

/**
 * Generator scaling (`npm run bench scaling`): synthetic-ratings with the
 * catalogue growing with the users (items = 2 × users), wall time of load()
 * (generation and the split) at 200, 2,000 and 20,000 users, and the growth per
 * 10× more users. A generator linear in what it produces grows about 10×; one
 * that scans every item for every user grows about 100×.
 */
export async function benchGeneratorScaling(
  plugin: DatasetPlugin = syntheticRatings as DatasetPlugin,
  sizes: readonly number[] = SIZES,
): Promise<string[]> {
  const out = [`generator scaling: ${plugin.name}, items = 2 × users, 30–60 ratings per user`];
  let previous: number | null = null;
  for (const users of sizes) {
    const ctx = { seed: 1, rng: new Rng(1), configDir: '/', log: { info() {}, warn() {} } };
    const t0 = performance.now();
    const d = (await plugin.load(options(users) as never, ctx)) as RatingsDataset;
    const ms = performance.now() - t0;
    const ratings = d.split.train.length + d.split.valid.length + d.split.test.length;
    const growth =
      previous === null ? '' : `; ×${(ms / previous).toFixed(1)} for 10× the users (target ≤ ×${TARGET_GROWTH})`;
    out.push(
      `    ${users.toLocaleString('en').padStart(6)} users, ${(2 * users).toLocaleString('en').padStart(6)} items: ${(ms / 1000).toFixed(2)} s, ${ratings.toLocaleString('en')} ratings${growth}`,
    );
    previous = ms;
  }
  return out;
}

/**
 * synthetic-sessions' generator (writeOperaTables: shoppers, session walks and
 * the Parquet tables) at 20, 200 and 2,000 shoppers with 3–12 sessions each:
 * every session is a bounded walk on a 14-product pool, so the time should grow
 * with the sessions written, about 10× per 10× shoppers.
 */
export function benchSessionsScaling(sizes: readonly number[] = [20, 200, 2_000]): string[] {
  const out = ['generator scaling: synthetic-sessions (generation and Parquet writing), 3–12 sessions per shopper'];
  let previous: number | null = null;
  for (const users of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'usersim-sessions-'));
    try {
      const t0 = performance.now();
      const w = writeOperaTables(dir, { users, minSessions: 3, maxSessions: 12, testFraction: 0.2, seed: 1 });
      const ms = performance.now() - t0;
      const steps = w.sessions.reduce((a, x) => a + x.steps.length, 0);
      const growth = previous === null ? '' : `; ×${(ms / previous).toFixed(1)} for 10× the shoppers`;
      out.push(
        `    ${users.toLocaleString('en').padStart(6)} shoppers: ${(ms / 1000).toFixed(2)} s, ${w.sessions.length.toLocaleString('en')} sessions, ${steps.toLocaleString('en')} actions${growth}`,
      );
      previous = ms;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
