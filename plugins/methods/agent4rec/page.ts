import { itemLine, renderTemplate, type Item, type RatingScale } from '../../../harness/plugin-api.js';
import { keyedObject, ratingSchema, snapRating } from '../shared/structured-calls.js';

/** An item on a page under its short code. */
export interface PageItem {
  readonly code: string;
  readonly item: Item;
}

export type Fatigue = 'fresh' | 'a little tired' | 'very tired';
export const FATIGUE: readonly Fatigue[] = ['fresh', 'a little tired', 'very tired'];

export interface ItemReaction {
  readonly align: boolean;
  readonly reason: string;
  /** Only items that align can be watched; a watched item that does not align is read as not watched. */
  readonly watch: boolean;
  /** The rating after watching; null when not watched. */
  readonly rating: number | null;
  readonly feeling: string;
}

export interface PageReaction {
  readonly page: number;
  readonly items: ReadonlyMap<string, ItemReaction>;
  readonly feeling: 'positive' | 'negative';
  readonly feelingReason: string;
  readonly fatigue: Fatigue;
  readonly decision: 'next' | 'exit';
}

export interface ItemRating {
  readonly rating: number;
  readonly feeling: string;
}

export interface RatedPage {
  readonly page: number;
  readonly items: ReadonlyMap<string, ItemRating>;
}

/** Mean training rating of an item and how many ratings it has; undefined when nobody rated it. */
export type ItemMeanOf = (itemId: string) => { readonly mean: number; readonly count: number } | undefined;

/**
 * An item as the page lists it. The released code shows each item's
 * historical (mean) rating, which the conformity trait is about; ours comes
 * from the training split only (a legitimate non-LLM signal; see README).
 */
export function pageItemLine(p: PageItem, meanOf: ItemMeanOf | null, scale: RatingScale): string {
  const base = `${p.code}: ${itemLine(p.item)}`;
  if (!meanOf) return base;
  const m = meanOf(p.item.id);
  return m
    ? `${base} (average rating from other viewers: ${m.mean.toFixed(1)} of ${scale.max})`
    : `${base} (no ratings from other viewers yet)`;
}

/** Fatigue grows with pages: fresh up to `littleAfter`, a little tired up to `veryAfter`, then very tired. */
export function fatigueNote(page: number, littleAfter: number, veryAfter: number): string {
  const before = page - 1;
  if (page <= littleAfter)
    return before === 0
      ? 'You have just started browsing and feel fresh.'
      : `You have seen ${before} page${before === 1 ? '' : 's'} so far and still feel fresh.`;
  if (page <= veryAfter) return `You have been browsing for a while (${before} pages so far) and feel a little tired.`;
  return `You have already browsed ${before} pages and feel very tired.`;
}

export function pageSchema(codes: readonly string[], scale: RatingScale): Record<string, unknown> {
  const rating = ratingSchema(scale);
  return {
    type: 'object',
    properties: {
      items: keyedObject(codes, {
        type: 'object',
        properties: {
          align: { type: 'boolean' },
          reason: { type: 'string' },
          watch: { type: 'boolean' },
          rating: { ...rating, type: [rating['type'], 'null'] },
          feeling: { type: 'string' },
        },
        required: ['align', 'reason', 'watch', 'rating', 'feeling'],
        additionalProperties: false,
      }),
      feeling: { type: 'string', enum: ['positive', 'negative'] },
      feelingReason: { type: 'string' },
      fatigue: { type: 'string', enum: [...FATIGUE] },
      decision: { type: 'string', enum: ['next', 'exit'] },
    },
    required: ['items', 'feeling', 'feelingReason', 'fatigue', 'decision'],
    additionalProperties: false,
  };
}

interface RawPage {
  readonly items: Record<
    string,
    { align: boolean; reason: string; watch: boolean; rating: number | null; feeling: string }
  >;
  readonly feeling: 'positive' | 'negative';
  readonly feelingReason: string;
  readonly fatigue: Fatigue;
  readonly decision: 'next' | 'exit';
}

export function parsePage(reply: RawPage, page: number, codes: readonly string[], scale: RatingScale): PageReaction {
  const items = new Map<string, ItemReaction>();
  for (const c of codes) {
    const r = reply.items[c] as RawPage['items'][string];
    const watch = r.align && r.watch;
    items.set(c, {
      align: r.align,
      reason: r.reason.trim(),
      watch,
      rating: watch && r.rating !== null ? snapRating(r.rating, scale) : null,
      feeling: watch ? r.feeling.trim() : '',
    });
  }
  return {
    page,
    items,
    feeling: reply.feeling,
    feelingReason: reply.feelingReason.trim(),
    fatigue: reply.fatigue,
    decision: reply.decision,
  };
}

export function ratePageSchema(codes: readonly string[], scale: RatingScale): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      items: keyedObject(codes, {
        type: 'object',
        properties: { rating: ratingSchema(scale), feeling: { type: 'string' } },
        required: ['rating', 'feeling'],
        additionalProperties: false,
      }),
    },
    required: ['items'],
    additionalProperties: false,
  };
}

export function parseRatePage(
  reply: { items: Record<string, { rating: number; feeling: string }> },
  page: number,
  codes: readonly string[],
  scale: RatingScale,
): RatedPage {
  const items = new Map<string, ItemRating>();
  for (const c of codes) {
    const r = reply.items[c] as { rating: number; feeling: string };
    items.set(c, { rating: snapRating(r.rating, scale), feeling: r.feeling.trim() });
  }
  return { page, items };
}

export interface PageTextVars {
  readonly memories: string;
  readonly page: number;
  readonly fatigue: string;
  readonly items: string;
  readonly scale: RatingScale;
}

export function renderPage(template: string, v: PageTextVars): string {
  return renderTemplate(template, {
    memories: v.memories,
    page: v.page,
    fatigue: v.fatigue,
    items: v.items,
    min: v.scale.min,
    max: v.scale.max,
    step: v.scale.step,
  });
}
