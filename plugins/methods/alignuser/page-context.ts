import type { Item, RatingScale } from '../../../harness/plugin-api.js';
import { plainPage, renderState, type ShownPage } from './decision.js';
import type { ItemEvidence } from './item-evidence.js';
import { stateOf, type StateBudget, type UserState } from './persona.js';
import { actionText, nextStateText, pageCodes, viewBefore, type Transition } from './pages.js';

/** Everything the fit prompts say about one transition, rendered once. */
export interface PageContext {
  readonly transition: Transition;
  readonly coded: ReadonlyMap<string, Item>;
  /** Item id → its code on this page. */
  readonly codeOf: ReadonlyMap<string, string>;
  readonly state: UserState;
  readonly stateText: string;
  /** The page as inference shows it (the release's item format when fit built item evidence). */
  readonly page: ShownPage;
  readonly pageText: string;
  readonly humanAction: string;
  readonly humanNextState: string;
  readonly scale: RatingScale | null;
}

/**
 * `persona` is the user's persona text (generated once per user in fit), or
 * undefined for the rating summary of the history before the page.
 */
export function pageContext(
  t: Transition,
  items: ReadonlyMap<string, Item>,
  scale: RatingScale | null,
  statePrompt: string,
  budget: StateBudget,
  persona?: string,
  evidence?: ItemEvidence | null,
): PageContext {
  const coded = pageCodes(t, items);
  const view = viewBefore(t, items, scale);
  const state = stateOf(view, budget, persona);
  const page = evidence ? evidence.page(coded, view.history, scale, t.user) : plainPage(coded);
  return {
    transition: t,
    coded,
    codeOf: new Map([...coded].map(([c, item]) => [item.id, c])),
    state,
    stateText: renderState({ state: statePrompt }, state),
    page,
    pageText: page.text,
    humanAction: actionText(t.action, coded),
    humanNextState: nextStateText(t.action, coded),
    scale,
  };
}
