import type { Llm } from '../../../harness/plugin-api.js';

/**
 * One human-likeness question to the judge (AlignUSER llm_evaluator.py): how
 * likely a human produced the log in `user`, 1 (most like an AI) to 5 (most
 * like a human), with a reason. Shared by the tasks whose traces it judges.
 */
export async function askHumanLikeness(
  judge: Llm,
  system: string,
  user: string,
): Promise<{ readonly rating: number; readonly reason: string }> {
  return judge.json<{ reason: string; rating: number }>({
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    schema: {
      type: 'object',
      properties: { reason: { type: 'string' }, rating: { type: 'integer', minimum: 1, maximum: 5 } },
      required: ['reason', 'rating'],
      additionalProperties: false,
    },
    schemaName: 'human_likeness',
    temperature: 0,
    maxTokens: 400,
  });
}
