import { renderTemplate, type Llm } from '../../../harness/plugin-api.js';
import { keyedObject } from '../shared/structured-calls.js';
import { askJson, type CallSettings, type RecAgentPrompts } from './llm-call.js';

export interface ImportanceDeps {
  readonly prompts: RecAgentPrompts;
  readonly settings: CallSettings;
  /** Profile text: the same observation matters more or less to different people. */
  readonly profile: string;
  /** Observations scored per call. */
  readonly batchSize: number;
}

/**
 * An importance score (1–10, as the LLM gives it) on the released code's
 * scale: score / 10 × 0.9, i.e. 0.09–0.9 (recagent_memory.py:84,118). The
 * sensory cut, the reflection threshold and retrieval use this scale, so that
 * their constants are the original's.
 */
export function scaledImportance(score: number): number {
  return (score / 10) * 0.9;
}

/**
 * Sensory memory: every observation gets an importance from 1 (mundane) to
 * 10 (poignant); the memory keeps only those above the sensory threshold. The paper scores one observation per call; we score a list
 * per call (ours) so that seeding a user costs one call, not twenty.
 */
export async function scoreImportance(
  observations: readonly string[],
  llm: Llm,
  deps: ImportanceDeps,
): Promise<number[]> {
  const scores: number[] = [];
  for (let start = 0; start < observations.length; start += deps.batchSize) {
    const batch = observations.slice(start, start + deps.batchSize);
    const codes = batch.map((_, k) => `o${k + 1}`);
    const reply = await askJson<Record<string, number>>(
      llm,
      deps.settings,
      deps.prompts.system,
      renderTemplate(deps.prompts.importance, {
        profile: deps.profile,
        count: batch.length,
        observations: batch.map((o, k) => `${codes[k]}: ${o}`).join('\n'),
      }),
      keyedObject(codes, { type: 'integer', minimum: 1, maximum: 10 }),
      'importance',
    );
    for (const c of codes) scores.push(reply[c] as number);
  }
  return scores;
}
