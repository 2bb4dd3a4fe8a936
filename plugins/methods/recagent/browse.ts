import {
  itemLine,
  UnitError,
  type BrowseOutcome,
  type BrowsePage,
  type Llm,
  type PageOutcome,
  type RatingScale,
} from '../../../harness/plugin-api.js';
import { codeItems } from '../shared/structured-calls.js';
import {
  pageAction,
  watchItem,
  type DecisionDeps,
  type PageAction,
  type VisitMemory,
  type WatchedItem,
} from './decision.js';
import type { RecAgentUser } from './user-state.js';

/** The first-person observations a page leaves in memory: each watched item, then the page and what the agent did on it. */
export function pageObservations(page: BrowsePage, watched: readonly WatchedItem[], scale: RatingScale): string[] {
  const seen = page.items.map((i) => i.title).join('; ');
  const did =
    watched.length === 0 ? 'I watched none of them' : `I watched ${watched.map((w) => w.item.title).join(' and ')}`;
  return [
    ...watched.map(
      (w) =>
        `I watched ${itemLine(w.item)} from my recommendations; I rated it ${w.rating} out of ${scale.max}. How it made me feel: ${w.feeling}`,
    ),
    `Page ${page.number} of my recommendations showed me ${seen}. ${did}, and went on to the next page.`,
  ];
}

/**
 * A visit to the recommendation pages, as RecAgent acts on them. On each page
 * the agent picks one action (watch one item, next page, leave); after a watch
 * it rates the item and says how it felt, and the visit ends, as in YuLan-Rec
 * (with `keepBrowsing`, it chooses again on the same page until it picks next
 * or leave; at most one watch per item). When it goes on, the page's
 * observations enter memory in one consolidation step, so later pages recall
 * them. `state.memory` is the unit's own copy of the user's memory seeded
 * from training: nothing is carried between units.
 */
export async function browseVisit(
  state: RecAgentUser,
  pages: readonly BrowsePage[],
  scale: RatingScale,
  llm: Llm,
  deps: DecisionDeps,
): Promise<BrowseOutcome> {
  const memory = state.memory;
  const visit: VisitMemory = { memory, start: memory.now };
  const out: PageOutcome[] = [];
  for (const [k, page] of pages.entries()) {
    const coded = codeItems(page.items);
    const watched: WatchedItem[] = [];
    let action: PageAction;
    for (;;) {
      action = (await pageAction(state, visit, { number: page.number, coded, watched }, llm, deps)).action;
      if (action.type !== 'watch') break;
      const code = action.item;
      const item = coded.get(code);
      // The schema admits only unwatched codes of this page; this guards a provider that skips validation.
      if (!item || watched.some((w) => w.code === code))
        throw new UnitError('answer', `recagent: page ${page.number}: "${code}" is not an unwatched item of this page`);
      const { rating, feeling } = await watchItem(state, visit, page.number, item, scale, llm, deps);
      watched.push({ code, item, rating, feeling });
      // YuLan-Rec: a watch ends the visit (simulator.py:392-394); keepBrowsing lets the agent choose again.
      if (!deps.keepBrowsing) break;
    }
    const exit = action.type === 'leave' || (action.type === 'watch' && !deps.keepBrowsing);
    out.push({ watched: watched.map((w) => ({ item: w.item.id, rating: w.rating })), exit });
    // Nothing reads memory after the last page seen: no consolidation (and no calls) then.
    if (exit || k === pages.length - 1) break;
    await memory.observe(pageObservations(page, watched, scale), llm);
  }
  return { pages: out };
}
