import { renderTemplate, type Llm } from '../../../harness/plugin-api.js';
import { keyedObject } from '../shared/structured-calls.js';
import { askJson, type CallSettings, type RecAgentPrompts } from './llm-call.js';
import type { Promotion } from './short-term-memory.js';

export interface InsightDeps {
  readonly prompts: RecAgentPrompts;
  readonly settings: CallSettings;
  readonly profile: string;
}

/**
 * On promotion to long-term memory, the LLM writes one high-level insight
 * from the entry and the observations that reinforced it. All promotions of
 * one consolidation step share one call (ours; the paper makes one per entry).
 */
export async function writeInsights(promotions: readonly Promotion[], llm: Llm, deps: InsightDeps): Promise<string[]> {
  if (promotions.length === 0) return [];
  const codes = promotions.map((_, k) => `g${k + 1}`);
  const groups = promotions
    .map((p, k) => [`${codes[k]}:`, `- ${p.entry.text}`, ...p.reinforcedBy.map((t) => `- ${t}`)].join('\n'))
    .join('\n\n');
  const reply = await askJson<Record<string, string>>(
    llm,
    deps.settings,
    deps.prompts.system,
    renderTemplate(deps.prompts.insight, { profile: deps.profile, count: promotions.length, groups }),
    keyedObject(codes, { type: 'string', minLength: 1 }),
    'insights',
  );
  return codes.map((c) => (reply[c] as string).trim());
}
