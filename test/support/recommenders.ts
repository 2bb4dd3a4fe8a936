import type { Interaction, Recommendation, RecommenderPlugin, TrainData } from '../../harness/plugin-api.ts';
import { createConfigAjv } from '../../harness/util/ajv.ts';
import { Rng } from '../../harness/util/rng.ts';
import { item } from './hand-dataset.ts';
import { rankingFixtures } from './ranking-fixtures.ts';

/**
 * A plugin's options as the config loader makes them: validated by the same
 * strict ajv (so a schema ajv rejects fails here too), defaults filled in,
 * overrides on top.
 */
export function recommenderOptions(
  plugin: RecommenderPlugin,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const value: Record<string, unknown> = { ...overrides };
  const validate = createConfigAjv().compile(plugin.options);
  if (!validate(value)) throw new Error(`${plugin.name} options: ${JSON.stringify(validate.errors)}`);
  return value;
}

export async function fitRecommender(
  plugin: RecommenderPlugin,
  train: TrainData,
  overrides: Record<string, unknown> = {},
  seed = 1,
): Promise<Recommendation> {
  const ctx = { seed, rng: new Rng(seed), configDir: '/', log: { info() {}, warn() {} } };
  return plugin.fit(train, recommenderOptions(plugin, overrides) as never, ctx);
}

/** Training data over items "1" … "nItems" from (user, item) pairs. */
export function trainOf(
  pairs: ReadonlyArray<readonly [string, number]>,
  nItems: number,
  rating: number | null = null,
): TrainData {
  const interactions: Interaction[] = pairs.map(([user, i], t) => ({ user, item: String(i), rating, timestamp: t }));
  return {
    datasetName: 'hand',
    users: [...new Set(pairs.map(([u]) => u))].map((id) => ({ id, attributes: {} })),
    items: Array.from({ length: nItems }, (_, k) => item(String(k + 1))),
    scale: null,
    interactions,
  };
}

/**
 * Two disjoint co-occurrence clusters: users a1…a6 use items 1–5, users b1…b14
 * use items 6–10 (each user all of their cluster's items but one). Cluster B is
 * more popular, so a popularity ranking puts a B item first for everyone: only a
 * recommender that uses co-occurrence ranks an A item first for an A user.
 */
export function twoClusters(): { train: TrainData; aUsers: string[]; bUsers: string[] } {
  const pairs: Array<[string, number]> = [];
  const aUsers = Array.from({ length: 6 }, (_, k) => `a${k + 1}`);
  const bUsers = Array.from({ length: 14 }, (_, k) => `b${k + 1}`);
  aUsers.forEach((u, k) => [1, 2, 3, 4, 5].filter((i) => i !== 1 + (k % 5)).forEach((i) => pairs.push([u, i])));
  bUsers.forEach((u, k) => [6, 7, 8, 9, 10].filter((i) => i !== 6 + (k % 5)).forEach((i) => pairs.push([u, i])));
  return { train: trainOf(pairs, 10), aUsers, bUsers };
}

/**
 * A seeded world of `clusters` taste groups of 20 items each: every user draws
 * 12 items of their own group, 9 for training and 3 held out. Groups are the
 * same size, so popularity carries little signal and random is the floor.
 */
export function clusteredWorld(
  seed: number,
  clusters = 4,
  usersPerCluster = 30,
): { train: TrainData; heldOut: Interaction[] } {
  const rng = new Rng(seed);
  const trainPairs: Array<[string, number]> = [];
  const heldOut: Interaction[] = [];
  for (let c = 0; c < clusters; c++) {
    const group = Array.from({ length: 20 }, (_, k) => c * 20 + k + 1);
    for (let n = 0; n < usersPerCluster; n++) {
      const user = `c${c}u${n}`;
      const chosen = rng.sample(group, 12);
      chosen.slice(0, 9).forEach((i) => trainPairs.push([user, i]));
      chosen.slice(9).forEach((i, t) => heldOut.push({ user, item: String(i), rating: null, timestamp: t }));
    }
  }
  return { train: trainOf(trainPairs, clusters * 20), heldOut };
}

/** The fixture matrix as training data. */
export function fixtureTrain(): TrainData {
  const m = rankingFixtures.matrix;
  const pairs: Array<[string, number]> = [];
  m.forEach((row, u) => row.forEach((v, j) => v && pairs.push([`u${u + 1}`, j + 1])));
  return trainOf(pairs, (m[0] as number[]).length);
}
