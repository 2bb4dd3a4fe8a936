import { Type } from '@sinclair/typebox';
import type { MethodPlugin } from '../api/method.js';
import type { MethodUse } from '../config/load.js';

/** The method id of a task's reference row (the humans): reserved, no config method may use it. */
export const REFERENCE_ID = 'human';

const plugin: MethodPlugin = {
  kind: 'method',
  name: REFERENCE_ID,
  version: 1,
  description: "The dataset's own humans, as a task's reference row: made by the task from its data, never tested.",
  options: Type.Object({}),
  usesLlm: false,
  capabilities: [],
  create: async () => ({}),
};

/** The row a task's reference cells sit in, as if it were a method that calls no LLM. */
export function referenceMethod(baseDir: string): MethodUse {
  return { id: REFERENCE_ID, plugin, options: {}, llm: null, baseDir, path: [] };
}
