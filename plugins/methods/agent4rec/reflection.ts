import { renderTemplate, type Llm } from '../../../harness/plugin-api.js';
import { askJson, type Agent4RecPrompts, type CallSettings } from './llm-call.js';
import { memoriesText, type Agent4RecMemory } from './memory.js';

export interface SatisfactionReflection {
  readonly verdict: 'satisfied' | 'unsatisfied';
  readonly reason: string;
}

export interface ReflectionDeps {
  readonly prompts: Agent4RecPrompts;
  readonly settings: CallSettings;
  /** The agent's system prompt (role and profile). */
  readonly system: string;
  /** Entries read by the reflection. */
  readonly entries: number;
}

/**
 * The emotion-driven reflection of the released code: from its recent
 * memories (the last `entries`, ours: the paper retrieves them with a fixed
 * question) the agent says whether it is satisfied with the recommendations
 * and why; the answer becomes an emotional memory.
 */
export async function reflectOnSatisfaction(
  memory: Agent4RecMemory,
  llm: Llm,
  deps: ReflectionDeps,
): Promise<SatisfactionReflection> {
  const recent = memory.recent(deps.entries).reverse();
  const reply = await askJson<SatisfactionReflection>(
    llm,
    deps.settings,
    deps.system,
    renderTemplate(deps.prompts.reflection, { memories: memoriesText(recent) }),
    {
      type: 'object',
      properties: {
        verdict: { type: 'string', enum: ['satisfied', 'unsatisfied'] },
        reason: { type: 'string', minLength: 1 },
      },
      required: ['verdict', 'reason'],
      additionalProperties: false,
    },
    'satisfaction_reflection',
  );
  const r = { verdict: reply.verdict, reason: reply.reason.trim() };
  memory.addReflection(`Looking back on the recommendations so far, I am ${r.verdict}: ${r.reason}`);
  return r;
}
