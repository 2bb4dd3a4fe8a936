import { itemLine, renderTemplate, type Item, type Llm, type RatingScale } from '../../../harness/plugin-api.js';
import { codeItems, keyedObject } from '../shared/structured-calls.js';
import { askJson, type CallSettings } from './llm-call.js';
import type { ItemMeanOf } from './page.js';

/** The two templates of the list judgement. */
export interface ForcedListPrompts {
  /** System prompt: the taste only ({{taste}}). */
  readonly system: string;
  /** User turn: the list ({{items}}, {{count}}). */
  readonly list: string;
}

export interface ForcedListDeps {
  readonly prompts: ForcedListPrompts;
  readonly settings: CallSettings;
  /** Historical rating of an item (published or mean training rating); null hides them. */
  readonly meanOf: ItemMeanOf | null;
  readonly scale: RatingScale;
}

export interface ForcedJudgement {
  readonly item: string;
  readonly watch: boolean;
  readonly reason: string;
}

/** An item of the list: title, genres and summary where the dataset has them, and its historical rating. */
export function forcedItemLine(code: string, item: Item, meanOf: ItemMeanOf | null, scale: RatingScale): string {
  const m = meanOf?.(item.id);
  const rating = !meanOf
    ? ''
    : m
      ? ` (average rating from other viewers: ${m.mean.toFixed(2)} of ${scale.max})`
      : ' (no ratings from other viewers yet)';
  return `${code}: ${itemLine(item)}${rating}`;
}

/**
 * Agent4Rec's discrimination (reaction_to_forced_items, simulation/avatar.py:212-235):
 * one stateless call with every candidate item; the system prompt holds the
 * taste and nothing else (no traits, memory or fatigue); the answer is watch
 * yes/no per item.
 */
export async function judgeForcedList(
  taste: string,
  items: readonly Item[],
  llm: Llm,
  deps: ForcedListDeps,
): Promise<ForcedJudgement[]> {
  const coded = codeItems(items);
  const lines = [...coded].map(([code, item]) => forcedItemLine(code, item, deps.meanOf, deps.scale));
  const schema = keyedObject([...coded.keys()], {
    type: 'object',
    properties: { watch: { type: 'boolean' }, reason: { type: 'string' } },
    required: ['watch', 'reason'],
    additionalProperties: false,
  });
  const reply = await askJson<Record<string, { watch: boolean; reason: string }>>(
    llm,
    deps.settings,
    renderTemplate(deps.prompts.system, { taste }),
    renderTemplate(deps.prompts.list, { items: lines.join('\n'), count: coded.size }),
    schema,
    'watch_list',
  );
  return [...coded].map(([code, item]) => {
    const r = reply[code] as { watch: boolean; reason: string };
    return { item: item.id, watch: r.watch === true, reason: r.reason.trim() };
  });
}
