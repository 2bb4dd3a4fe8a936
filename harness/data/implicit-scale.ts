import type { RatingScale } from './types.js';

/**
 * The scale simulated users rate on when a dataset has no stars (implicit
 * feedback): 1–5, as recommender-evaluation reads page ratings (ours). One
 * constant, so the task and every simulator agree.
 */
export const IMPLICIT_RATING_SCALE: RatingScale = { min: 1, max: 5, step: 1 };
