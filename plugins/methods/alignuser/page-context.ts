import type { Item, RatingScale } from '../../../harness/plugin-api.js';
import { renderState } from './decision.js';
import { stateOf, type StateBudget, type UserState } from './persona.js';
import { actionText, nextStateText, pageCodes, viewBefore, type Transition } from './pages.js';
import { itemsBlock } from '../shared/structured-calls.js';

/** Everything the fit prompts say about one transition, rendered once. */
export interface PageContext {
  readonly transition: Transition;
  readonly coded: ReadonlyMap<string, Item>;
  /** Item id → its code on this page. */
  readonly codeOf: ReadonlyMap<string, string>;
  readonly state: UserState;
  readonly stateText: string;
  readonly pageText: string;
  readonly humanAction: string;
  readonly humanNextState: string;
  readonly scale: RatingScale | null;
}

export function pageContext(
  t: Transition,
  items: ReadonlyMap<string, Item>,
  scale: RatingScale | null,
  statePrompt: string,
  budget: StateBudget,
): PageContext {
  const coded = pageCodes(t, items);
  const state = stateOf(viewBefore(t, items, scale), budget);
  return {
    transition: t,
    coded,
    codeOf: new Map([...coded].map(([c, item]) => [item.id, c])),
    state,
    stateText: renderState({ state: statePrompt }, state),
    pageText: itemsBlock(coded),
    humanAction: actionText(t.action, coded),
    humanNextState: nextStateText(t.action, coded),
    scale,
  };
}
