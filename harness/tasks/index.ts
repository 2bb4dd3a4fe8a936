import type { TaskDefinition } from './task-api.js';
import { preferenceDiscrimination } from './preference-discrimination.js';
import { rating } from './rating.js';

/** The standard tasks (core, not plugins: their definitions are the benchmark). */
export const TASKS: Readonly<Record<string, TaskDefinition>> = {
  'preference-discrimination': preferenceDiscrimination as unknown as TaskDefinition,
  rating: rating as unknown as TaskDefinition,
};
