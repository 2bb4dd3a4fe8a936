import { renderTemplate, type ChatMessage, type Item, type Llm } from '../../../harness/plugin-api.js';

export type { PolicyThought } from './aligned-transition.js';
import type { FitCallSettings } from './counterfactual.js';
import { recoded, type Blocks, type DecisionRequests, type JsonRequest, type Screening } from './decision.js';
import type { PageContext } from './page-context.js';
import type { AlignedTransition, PolicyThought } from './aligned-transition.js';
import type { WorldModel } from './world-model.js';
import { codeItems, keyedObject } from '../shared/structured-calls.js';

/** The policy's chain of thought for a human step: why this person did exactly what they did. */

/** One line of a chat-format fine-tuning file. */
export interface ChatExample {
  readonly messages: readonly ChatMessage[];
}

export function policySchema(codes: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: { thought: { type: 'string', minLength: 1 }, reasons: keyedObject(codes, { type: 'string' }) },
    required: ['thought', 'reasons'],
    additionalProperties: false,
  };
}

/** Persona, history and state → a chain of thought grounded in the lessons and the human action. */
export async function writePolicyThought(
  llm: Llm,
  template: string,
  ctx: PageContext,
  lessons: readonly string[],
  call: FitCallSettings,
): Promise<PolicyThought> {
  const content = renderTemplate(template, {
    state: ctx.stateText,
    page: ctx.pageText,
    humanAction: ctx.humanAction,
    lessons:
      lessons.length === 0 ? '(none: the alternatives were no different)' : lessons.map((l) => `- ${l}`).join('\n'),
  });
  const reply = await llm.json<{ thought: string; reasons: Record<string, string> }>({
    messages: [
      { role: 'system', content: call.system },
      { role: 'user', content },
    ],
    schema: policySchema([...ctx.coded.keys()]),
    schemaName: 'policy_thought',
    temperature: call.temperature,
    maxTokens: call.maxTokens,
  });
  const reasons: Record<string, string> = {};
  for (const [code, item] of ctx.coded) reasons[item.id] = reply.reasons[code] ?? '';
  return { thought: reply.thought, reasons };
}

function withAnswer(request: JsonRequest, answer: unknown): ChatExample {
  return {
    messages: [
      ...request.messages.map((m) => ({ role: m.role, content: m.content })),
      { role: 'assistant', content: JSON.stringify(answer) },
    ],
  };
}

/**
 * The SFT data, in the exact prompts inference sends (without retrieved
 * lessons and transitions: a trained model carries them in its weights; with
 * the world-model demonstrations, which every backend retrieves, `blocksOf`
 * leaving the transition itself out): per transition a screening example, a
 * like/not example over the page, a rating example over the rated items and,
 * optionally, a next-state (world-model) example.
 */
export function sftExamples(
  aligned: readonly AlignedTransition[],
  contextOf: (a: AlignedTransition) => PageContext,
  requests: DecisionRequests,
  worldModel: WorldModel,
  opts: { readonly worldModelExamples: boolean },
  blocksOf: (a: AlignedTransition, page: readonly Item[]) => Blocks,
): ChatExample[] {
  const out: ChatExample[] = [];
  for (const a of aligned) {
    const ctx = contextOf(a);
    const blocks = blocksOf(a, [...ctx.coded.values()]);
    const watched = new Map(a.transition.action.watched.map((w) => [w.item, w.rating]));
    const reason = (item: Item) => a.policy.reasons[item.id] || a.policy.thought;
    const screening: Record<string, { decision: 'watch' | 'skip'; reason: string }> = {};
    for (const [code, item] of ctx.coded)
      screening[code] = { decision: watched.has(item.id) ? 'watch' : 'skip', reason: reason(item) };
    out.push(withAnswer(requests.screen(ctx.state, ctx.page, blocks), { items: screening }));
    const likes = Object.fromEntries(
      [...ctx.coded].map(([code, item]) => [code, { like: watched.has(item.id), rationale: reason(item) }]),
    );
    out.push(
      withAnswer(requests.selectLike(ctx.state, ctx.page, screening, blocks), {
        reasoning: a.policy.thought,
        items: likes,
      }),
    );
    const rated = [...ctx.coded.values()].filter((item) => (watched.get(item.id) ?? null) !== null);
    if (ctx.scale && rated.length > 0) {
      const coded = codeItems(rated);
      const page = recoded(ctx.page, coded);
      const allWatch: Screening = Object.fromEntries(
        [...coded].map(([code, item]) => [code, { decision: 'watch' as const, reason: reason(item) }]),
      );
      const ratings = Object.fromEntries(
        [...coded].map(([code, item]) => [code, { rating: watched.get(item.id) as number, rationale: reason(item) }]),
      );
      out.push(
        withAnswer(requests.selectRate(ctx.state, page, allWatch, ctx.scale, blocks), {
          reasoning: a.policy.thought,
          items: ratings,
        }),
      );
    }
    if (opts.worldModelExamples) {
      out.push(
        withAnswer(worldModel.request(ctx, [a.transition.action]), { outcomes: [{ nextState: ctx.humanNextState }] }),
      );
    }
  }
  return out;
}
