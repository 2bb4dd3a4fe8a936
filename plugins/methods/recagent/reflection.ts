import { renderTemplate, type Llm } from '../../../harness/plugin-api.js';
import { askJson, type CallSettings, type RecAgentPrompts } from './llm-call.js';
import type { MemoryEntry } from './memory-entry.js';

export interface ReflectionDeps {
  readonly prompts: RecAgentPrompts;
  readonly settings: CallSettings;
  readonly profile: string;
  /** Most entries shown to the reflection (the most important ones). */
  readonly maxEntries: number;
}

export const MAX_REFLECTIONS = 3;

/**
 * Reflection over long-term memory: the LLM reads what accumulated since the
 * last reflection (most important first) and writes one to three insights.
 */
export async function reflect(entries: readonly MemoryEntry[], llm: Llm, deps: ReflectionDeps): Promise<string[]> {
  const shown = [...entries].sort((a, b) => b.importance - a.importance || a.step - b.step).slice(0, deps.maxEntries);
  const reply = await askJson<{ insights: string[] }>(
    llm,
    deps.settings,
    deps.prompts.system,
    renderTemplate(deps.prompts.reflection, {
      profile: deps.profile,
      memories: shown.map((e) => `- ${e.text}`).join('\n'),
    }),
    {
      type: 'object',
      properties: {
        insights: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: MAX_REFLECTIONS },
      },
      required: ['insights'],
      additionalProperties: false,
    },
    'reflection',
  );
  return reply.insights.map((s) => s.trim());
}
