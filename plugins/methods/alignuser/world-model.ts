import { renderTemplate, type Llm } from '../../../harness/plugin-api.js';
import type { FitCallSettings } from './counterfactual.js';
import type { JsonRequest } from './decision.js';
import type { PageContext } from './page-context.js';
import { actionText, type PageAction } from './pages.js';

export function worldModelSchema(n: number): Record<string, unknown> {
  const outcome = {
    type: 'object',
    properties: { nextState: { type: 'string' } },
    required: ['nextState'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { outcomes: { type: 'array', minItems: n, maxItems: n, items: outcome } },
    required: ['outcomes'],
    additionalProperties: false,
  };
}

/**
 * The LLM as a world model: (state, action) → a text description of the next
 * state. Fit asks it for the outcomes of the counterfactual actions (the human
 * outcome is known) and trains on the human ones (next-state prediction).
 */
export class WorldModel {
  constructor(
    private readonly template: string,
    private readonly call: FitCallSettings,
  ) {}

  request(ctx: PageContext, actions: readonly PageAction[]): JsonRequest {
    const content = renderTemplate(this.template, {
      state: ctx.stateText,
      page: ctx.pageText,
      actions: actions.map((a, k) => `${k + 1}. ${actionText(a, ctx.coded)}`).join('\n'),
      n: actions.length,
    });
    return {
      messages: [
        { role: 'system', content: this.call.system },
        { role: 'user', content },
      ],
      schema: worldModelSchema(actions.length),
      schemaName: 'world_model_outcomes',
      temperature: this.call.temperature,
      maxTokens: this.call.maxTokens,
    };
  }

  async predict(llm: Llm, ctx: PageContext, actions: readonly PageAction[]): Promise<string[]> {
    if (actions.length === 0) return [];
    const reply = await llm.json<{ outcomes: { nextState: string }[] }>(this.request(ctx, actions));
    return reply.outcomes.map((o) => o.nextState);
  }
}
