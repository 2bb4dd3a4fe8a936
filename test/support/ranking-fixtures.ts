import { readFileSync } from 'node:fs';

/** Reference values of test/fixtures/make_ranking_fixtures.py (numpy). */
export interface RankingFixtures {
  readonly ranking: ReadonlyArray<{
    ranked: string[];
    relevant: string[];
    k: number;
    ndcg: number;
    recall: number;
    precision: number;
    hitRate: number;
  }>;
  /** users × items, 0/1; user u is "u{u+1}", item j is String(j + 1). */
  readonly matrix: number[][];
  readonly ease: ReadonlyArray<{ l2: number; b: number[][]; top3: number[][] }>;
  readonly itemknn: ReadonlyArray<{
    shrink: number;
    neighbours: number;
    sim: number[][];
    kept: number[][];
    top3: number[][];
  }>;
  readonly spd: { a: number[][]; inverse: number[][] };
}

export const rankingFixtures: RankingFixtures = JSON.parse(
  readFileSync(new URL('../fixtures/ranking-fixtures.json', import.meta.url), 'utf8'),
) as RankingFixtures;
