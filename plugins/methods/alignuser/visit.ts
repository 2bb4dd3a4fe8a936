import type { RatingScale } from '../../../harness/plugin-api.js';

/** Pages of a dataset without stars are still rated, on 1–5 (as the recommender-evaluation task reads them). */
export const IMPLICIT_SCALE: RatingScale = { min: 1, max: 5, step: 1 };

/** The visit so far, as a prompt section ('' on the first page; otherwise a block ending in a blank line, like the other sections). */
export function visitBlock(pages: readonly string[]): string {
  return pages.length === 0 ? '' : `Earlier on this visit:\n${pages.map((p) => `- ${p}`).join('\n')}\n\n`;
}
