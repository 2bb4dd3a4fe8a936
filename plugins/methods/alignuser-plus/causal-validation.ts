import { renderTemplate, type Item, type Llm, type RatingScale } from '../../../harness/plugin-api.js';
import { renderState, type LikeSelection, type RateSelection } from '../alignuser/decision.js';
import type { UserState } from '../alignuser/persona.js';
import { codedList, perCode, ratingSchema, scaleText, snapRating } from '../alignuser/text.js';

export interface SelfCheck {
  readonly question: string;
  readonly answer: string;
}

export interface ValidationOutcome<S> {
  readonly selection: S;
  readonly verdict: 'keep' | 'change';
  readonly checks: readonly SelfCheck[];
}

export interface ValidationSettings {
  readonly system: string;
  readonly state: string;
  readonly template: string;
  readonly temperature: number;
  readonly maxTokens: number;
}

const str = { type: 'string' };

export function validationSchema(codes: readonly string[], answer: Record<string, unknown>): Record<string, unknown> {
  const check = { type: 'object', properties: { question: str, answer: str }, required: ['question', 'answer'], additionalProperties: false };
  return {
    type: 'object',
    properties: {
      checks: { type: 'array', minItems: 2, maxItems: 4, items: check },
      verdict: { type: 'string', enum: ['keep', 'change'] },
      reason: str,
      items: perCode(codes, answer),
    },
    required: ['checks', 'verdict', 'reason', 'items'],
    additionalProperties: false,
  };
}

interface Reply<T> {
  checks: SelfCheck[];
  verdict: 'keep' | 'change';
  reason: string;
  items: Record<string, T>;
}

/**
 * Causal validation: self-check questions answered only from state, persona
 * and history, then keep or change the action, in one structured call. On
 * "keep" the original action stands as chosen (ours): the model said it holds.
 */
export class CausalValidator {
  constructor(private readonly s: ValidationSettings) {}

  private async ask<T>(llm: Llm, state: UserState, coded: ReadonlyMap<string, Item>, proposal: string, answerShape: string, answer: Record<string, unknown>): Promise<Reply<T>> {
    const content = renderTemplate(this.s.template, { state: renderState({ state: this.s.state }, state), count: coded.size, items: codedList(coded), proposal, answerShape });
    return llm.json<Reply<T>>({
      messages: [
        { role: 'system', content: this.s.system },
        { role: 'user', content },
      ],
      schema: validationSchema([...coded.keys()], answer),
      schemaName: 'causal_validation',
      temperature: this.s.temperature,
      maxTokens: this.s.maxTokens,
    });
  }

  async likes(llm: Llm, state: UserState, coded: ReadonlyMap<string, Item>, chosen: LikeSelection): Promise<ValidationOutcome<LikeSelection>> {
    const proposal = [...coded.keys()].map((c) => `${c}: ${chosen.items[c]?.like ? 'like' : 'not like'} (${chosen.items[c]?.rationale ?? ''})`).join('\n');
    const answer = { type: 'object', properties: { like: { type: 'boolean' } }, required: ['like'], additionalProperties: false };
    const reply = await this.ask<{ like: boolean }>(llm, state, coded, proposal, '{"like": true or false}', answer);
    if (reply.verdict === 'keep') return { selection: chosen, verdict: 'keep', checks: reply.checks };
    const items = Object.fromEntries(
      [...coded.keys()].map((c) => {
        const before = chosen.items[c];
        const like = reply.items[c]?.like === true;
        return [c, { like, rationale: before && before.like === like ? before.rationale : `Changed after self-check: ${reply.reason}` }];
      }),
    );
    return { selection: { reasoning: chosen.reasoning, items }, verdict: 'change', checks: reply.checks };
  }

  async ratings(llm: Llm, state: UserState, coded: ReadonlyMap<string, Item>, scale: RatingScale, chosen: RateSelection): Promise<ValidationOutcome<RateSelection>> {
    const proposal = [...coded.keys()].map((c) => `${c}: rating ${chosen.items[c]?.rating} (${chosen.items[c]?.rationale ?? ''})`).join('\n');
    const answer = { type: 'object', properties: { rating: ratingSchema(scale) }, required: ['rating'], additionalProperties: false };
    const reply = await this.ask<{ rating: number }>(llm, state, coded, proposal, `{"rating": a rating ${scaleText(scale)}}`, answer);
    if (reply.verdict === 'keep') return { selection: chosen, verdict: 'keep', checks: reply.checks };
    const items = Object.fromEntries(
      [...coded.keys()].map((c) => {
        const before = chosen.items[c];
        const rating = snapRating(reply.items[c]?.rating as number, scale);
        return [c, { rating, rationale: before && before.rating === rating ? before.rationale : `Changed after self-check: ${reply.reason}` }];
      }),
    );
    return { selection: { reasoning: chosen.reasoning, items }, verdict: 'change', checks: reply.checks };
  }
}
