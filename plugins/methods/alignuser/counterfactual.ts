import { renderTemplate, type Llm } from '../../../harness/plugin-api.js';
import type { PageContext } from './page-context.js';
import { sameAction, type PageAction, type Rated } from './pages.js';
import { scaleText } from './text.js';
import { ratingSchema, snapRating } from '../shared/structured-calls.js';

export interface Alternative {
  readonly action: PageAction;
  readonly reasoning: string;
}

/** The item-level counterfactual: another rating of one watched item. */
export interface FocalAlternative {
  readonly item: string;
  readonly humanRating: number;
  readonly rating: number;
  readonly reasoning: string;
}

export interface Proposal {
  readonly alternatives: readonly Alternative[];
  /** Proposals dropped because they repeated the human action or an earlier alternative. */
  readonly dropped: number;
  readonly focal: FocalAlternative | null;
}

export interface FitCallSettings {
  readonly system: string;
  readonly temperature: number;
  readonly maxTokens: number;
}

interface Reply {
  alternatives: { reasoning: string; watched: { item: string; rating?: number }[] }[];
  focal?: { rating: number; reasoning: string };
}

const str = { type: 'string' };

export function counterfactualSchema(ctx: PageContext, k: number): Record<string, unknown> {
  const codes = [...ctx.coded.keys()];
  const watchedProps: Record<string, unknown> = { item: { type: 'string', enum: codes } };
  if (ctx.scale) watchedProps['rating'] = ratingSchema(ctx.scale);
  const watched = {
    type: 'object',
    properties: watchedProps,
    required: Object.keys(watchedProps),
    additionalProperties: false,
  };
  const alternative = {
    type: 'object',
    properties: { reasoning: str, watched: { type: 'array', maxItems: codes.length, items: watched } },
    required: ['reasoning', 'watched'],
    additionalProperties: false,
  };
  const properties: Record<string, unknown> = {
    alternatives: { type: 'array', minItems: k, maxItems: k, items: alternative },
  };
  if (focalOf(ctx)) {
    properties['focal'] = {
      type: 'object',
      properties: { rating: ratingSchema(ctx.scale!), reasoning: str },
      required: ['rating', 'reasoning'],
      additionalProperties: false,
    };
  }
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

function focalOf(ctx: PageContext): Rated | null {
  const f = ctx.transition.focal;
  if (f === null || !ctx.scale) return null;
  const w = ctx.transition.action.watched.find((x) => x.item === f);
  return w && w.rating !== null ? w : null;
}

/**
 * K alternative actions the current policy (the LLM) finds plausible on the
 * page, kept only when valid and different from the human's; for rated pages
 * also an alternative rating of one watched item.
 */
export async function proposeCounterfactuals(
  llm: Llm,
  template: string,
  ctx: PageContext,
  k: number,
  call: FitCallSettings,
): Promise<Proposal> {
  const focal = focalOf(ctx);
  const focalCode = focal ? (ctx.codeOf.get(focal.item) as string) : '';
  const focalTitle = focal ? (ctx.coded.get(focalCode)?.title ?? '') : '';
  const content = renderTemplate(template, {
    state: ctx.stateText,
    page: ctx.pageText,
    humanAction: ctx.humanAction,
    k,
    ratingRule: ctx.scale ? `, ratings ${scaleText(ctx.scale)}` : '',
    focalTask: focal
      ? `\nAlso: the person rated ${focalCode} "${focalTitle}" ${focal.rating}. Give a different rating that a simulator could plausibly have predicted for them, with a one-sentence reasoning.\n`
      : '',
    watchedShape: ctx.scale ? '{"item": code, "rating": rating}' : '{"item": code}',
    focalShape: focal ? ' Also "focal": {"rating", "reasoning"} for the other rating.' : '',
  });
  const reply = await llm.json<Reply>({
    messages: [
      { role: 'system', content: call.system },
      { role: 'user', content },
    ],
    schema: counterfactualSchema(ctx, k),
    schemaName: 'counterfactual_actions',
    temperature: call.temperature,
    maxTokens: call.maxTokens,
  });
  const kept: Alternative[] = [];
  let dropped = 0;
  for (const alt of reply.alternatives) {
    const seen = new Set<string>();
    const watched: Rated[] = [];
    for (const w of alt.watched) {
      const item = ctx.coded.get(w.item);
      // A repeated item is an invalid action; keeping its first mention is the charitable reading.
      if (!item || seen.has(item.id)) continue;
      seen.add(item.id);
      watched.push({
        item: item.id,
        rating: ctx.scale && w.rating !== undefined ? snapRating(w.rating, ctx.scale) : null,
      });
    }
    const action: PageAction = { watched };
    if (sameAction(action, ctx.transition.action) || kept.some((k2) => sameAction(k2.action, action))) {
      dropped++;
      continue;
    }
    kept.push({ action, reasoning: alt.reasoning });
  }
  let focalAlt: FocalAlternative | null = null;
  if (focal && reply.focal && ctx.scale) {
    const rating = snapRating(reply.focal.rating, ctx.scale);
    if (rating !== focal.rating)
      focalAlt = { item: focal.item, humanRating: focal.rating as number, rating, reasoning: reply.focal.reasoning };
  }
  return { alternatives: kept, dropped, focal: focalAlt };
}
