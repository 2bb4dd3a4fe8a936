import type { BrowseOutcome, BrowsePage, Judgement, RatingPrediction } from '../../../harness/plugin-api.js';

/**
 * How a non-LLM reference browses recommendation pages (recommender
 * evaluation): it watches the items it would like, gives them the rating it
 * would predict, and leaves after the first page on which it watched nothing
 * (ours). The references differ only in their like and rating rules.
 */
export async function browseByJudgement(
  pages: readonly BrowsePage[],
  judge: (page: BrowsePage) => Promise<readonly Judgement[]>,
  rate: (page: BrowsePage) => Promise<readonly RatingPrediction[]>,
): Promise<BrowseOutcome> {
  const out: BrowseOutcome['pages'][number][] = [];
  for (const page of pages) {
    const likes = new Set((await judge(page)).filter((j) => j.like).map((j) => j.item));
    const ratings = new Map((await rate(page)).map((r) => [r.item, r.rating]));
    const watched = page.items
      .filter((i) => likes.has(i.id))
      .map((i) => ({ item: i.id, rating: ratings.get(i.id) ?? null }));
    const exit = watched.length === 0;
    out.push({ watched, exit });
    if (exit) break;
  }
  return { pages: out };
}
