import {
  actionText as stepActionText,
  renderTemplate,
  type Llm,
  type RatingScale,
  type StepContext,
} from '../../../harness/plugin-api.js';
import { actionFromReply, type ActionReply } from '../shared/session-actions.js';
import { renderState, type LikeSelection, type RateSelection, type ShownPage } from '../alignuser/decision.js';
import type { UserState } from '../alignuser/persona.js';
import {
  actionUnion,
  CLICK_TYPE_LIST,
  renderSessionState,
  type ActionSelection,
} from '../alignuser/session-decision.js';
import { sameStepAction } from '../alignuser/session-steps.js';
import { scaleText } from '../alignuser/text.js';
import { keyedObject, ratingSchema, snapRating } from '../shared/structured-calls.js';

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

/** The 2–4 self-check questions and answers every validation reply starts with. */
const checksSchema = {
  type: 'array',
  minItems: 2,
  maxItems: 4,
  items: {
    type: 'object',
    properties: { question: str, answer: str },
    required: ['question', 'answer'],
    additionalProperties: false,
  },
};

/** A validation reply: the self-checks, keep or change, why, and the (possibly changed) answer under `key`. */
function validationReply(key: string, answer: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      checks: checksSchema,
      verdict: { type: 'string', enum: ['keep', 'change'] },
      reason: str,
      [key]: answer,
    },
    required: ['checks', 'verdict', 'reason', key],
    additionalProperties: false,
  };
}

export function validationSchema(codes: readonly string[], answer: Record<string, unknown>): Record<string, unknown> {
  return validationReply('items', keyedObject(codes, answer));
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

  private async ask<T>(
    llm: Llm,
    state: UserState,
    page: ShownPage,
    proposal: string,
    answerShape: string,
    answer: Record<string, unknown>,
  ): Promise<Reply<T>> {
    const content = renderTemplate(this.s.template, {
      state: renderState({ state: this.s.state }, state),
      count: page.coded.size,
      items: page.text,
      proposal,
      answerShape,
    });
    return llm.json<Reply<T>>({
      messages: [
        { role: 'system', content: this.s.system },
        { role: 'user', content },
      ],
      schema: validationSchema([...page.coded.keys()], answer),
      schemaName: 'causal_validation',
      temperature: this.s.temperature,
      maxTokens: this.s.maxTokens,
    });
  }

  async likes(
    llm: Llm,
    state: UserState,
    page: ShownPage,
    chosen: LikeSelection,
  ): Promise<ValidationOutcome<LikeSelection>> {
    const proposal = [...page.coded.keys()]
      .map((c) => `${c}: ${chosen.items[c]?.like ? 'like' : 'not like'} (${chosen.items[c]?.rationale ?? ''})`)
      .join('\n');
    const answer = {
      type: 'object',
      properties: { like: { type: 'boolean' } },
      required: ['like'],
      additionalProperties: false,
    };
    const reply = await this.ask<{ like: boolean }>(llm, state, page, proposal, '{"like": true or false}', answer);
    if (reply.verdict === 'keep') return { selection: chosen, verdict: 'keep', checks: reply.checks };
    const items = Object.fromEntries(
      [...page.coded.keys()].map((c) => {
        const before = chosen.items[c];
        const like = reply.items[c]?.like === true;
        return [
          c,
          {
            like,
            rationale: before && before.like === like ? before.rationale : `Changed after self-check: ${reply.reason}`,
          },
        ];
      }),
    );
    return { selection: { reasoning: chosen.reasoning, items }, verdict: 'change', checks: reply.checks };
  }

  async ratings(
    llm: Llm,
    state: UserState,
    page: ShownPage,
    scale: RatingScale,
    chosen: RateSelection,
  ): Promise<ValidationOutcome<RateSelection>> {
    const proposal = [...page.coded.keys()]
      .map((c) => `${c}: rating ${chosen.items[c]?.rating} (${chosen.items[c]?.rationale ?? ''})`)
      .join('\n');
    const answer = {
      type: 'object',
      properties: { rating: ratingSchema(scale) },
      required: ['rating'],
      additionalProperties: false,
    };
    const reply = await this.ask<{ rating: number }>(
      llm,
      state,
      page,
      proposal,
      `{"rating": a rating ${scaleText(scale)}}`,
      answer,
    );
    if (reply.verdict === 'keep') return { selection: chosen, verdict: 'keep', checks: reply.checks };
    const items = Object.fromEntries(
      [...page.coded.keys()].map((c) => {
        const before = chosen.items[c];
        const rating = snapRating(reply.items[c]?.rating as number, scale);
        return [
          c,
          {
            rating,
            rationale:
              before && before.rating === rating ? before.rationale : `Changed after self-check: ${reply.reason}`,
          },
        ];
      }),
    );
    return { selection: { reasoning: chosen.reasoning, items }, verdict: 'change', checks: reply.checks };
  }
}

export function actionValidationSchema(step: StepContext): Record<string, unknown> {
  return validationReply('action', actionUnion(step));
}

/**
 * Causal validation of a next action: self-check questions answered only from
 * persona, the session so far and the page (no memory evidence), then keep
 * the action or change it, in one structured call. The final action is bound
 * to the page like the selection's. On "keep" the selected action stands.
 */
export async function validateAction(
  llm: Llm,
  step: StepContext,
  chosen: ActionSelection,
  s: ValidationSettings & { readonly maxHistorySteps: number },
): Promise<ValidationOutcome<ActionSelection>> {
  const content = renderTemplate(s.template, {
    state: renderSessionState(s.state, step, s),
    proposal: stepActionText(actionFromReply(chosen).action),
    rationale: chosen.rationale,
    clickTypes: CLICK_TYPE_LIST,
  });
  const reply = await llm.json<{
    checks: SelfCheck[];
    verdict: 'keep' | 'change';
    reason: string;
    action: ActionReply['action'];
  }>({
    messages: [
      { role: 'system', content: s.system },
      { role: 'user', content },
    ],
    schema: actionValidationSchema(step),
    schemaName: 'action_validation',
    temperature: s.temperature,
    maxTokens: s.maxTokens,
  });
  if (reply.verdict === 'keep') return { selection: chosen, verdict: 'keep', checks: reply.checks };
  const same = sameStepAction(
    actionFromReply({ rationale: '', action: reply.action }).action,
    actionFromReply(chosen).action,
  );
  const selection: ActionSelection = same
    ? chosen
    : { reasoning: chosen.reasoning, rationale: `Changed after self-check: ${reply.reason}`, action: reply.action };
  return { selection, verdict: 'change', checks: reply.checks };
}
