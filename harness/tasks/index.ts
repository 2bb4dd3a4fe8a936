import type { AnyTask } from './task-api.js';
import { nextAction } from './next-action.js';
import { operaConsistency } from './opera-consistency.js';
import { preferenceDiscrimination } from './preference-discrimination.js';
import { rating } from './rating.js';
import { recommenderEvaluation } from './recommender-evaluation.js';

/** The standard tasks (core, not plugins: their definitions are the benchmark). */
export const TASKS: Readonly<Record<string, AnyTask>> = {
  'preference-discrimination': preferenceDiscrimination as unknown as AnyTask,
  rating: rating as unknown as AnyTask,
  'next-action': nextAction as unknown as AnyTask,
  'recommender-evaluation': recommenderEvaluation as unknown as AnyTask,
  'opera-consistency': operaConsistency as unknown as AnyTask,
};
