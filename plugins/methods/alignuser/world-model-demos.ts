import {
  actionText as stepActionText,
  itemLine,
  LexicalIndex,
  type Item,
  type SessionAction,
  type StepContext,
} from '../../../harness/plugin-api.js';
import type { AlignedTransition } from './aligned-transition.js';
import { actionText, itemOf, nextStateText, pageCodes, type PageAction, type Transition } from './pages.js';
import type { AlignedStep } from './session-alignment.js';
import { pageTitle, type SessionTransition } from './session-steps.js';
import { lastActionOf, StepIndex } from './step-index.js';
import { block } from './text.js';

const oneLine = (s: string, n = 300) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

const TITLE =
  'How the service responds (world model): what followed an action in similar states, and what the world model predicts for other actions:';

interface Alternative {
  readonly action: string;
  readonly outcome: string;
}

/**
 * The world model's next-state demonstrations, retrieved for the state at
 * hand before the policy step. Every backend has them: the human transitions
 * and their real next states come from the data without an LLM; when fit ran
 * its counterfactuals (in-context, or a backend that built the data), their
 * world-model outcomes are added. `exclude` leaves a transition out of its
 * own prompt (SFT examples).
 */
abstract class DemoIndex {
  protected readonly text = new Map<string, string>();

  protected constructor(
    docs: readonly { id: string; demo: string }[],
    protected readonly k: number,
  ) {
    for (const d of docs) this.text.set(d.id, d.demo);
  }

  get size(): number {
    return this.text.size;
  }

  /** The demonstrations of the best hits, `exclude` left out. */
  protected render(hits: readonly { id: string }[], exclude: string | null): string {
    return block(
      TITLE,
      hits
        .filter((h) => h.id !== exclude)
        .slice(0, this.k)
        .map((h) => this.text.get(h.id) ?? ''),
    );
  }

  protected static demo(state: string, action: string, next: string, alternatives: readonly Alternative[]): string {
    const alts = alternatives.map((a) => `\n  · ${a.action} instead: ${oneLine(a.outcome)}`).join('');
    return `- ${state}: ${action} → ${oneLine(next)}${alts}`;
  }
}

/** Ratings data: pages of training items, the human action on them and the next state. */
export class PageWorldModelDemos extends DemoIndex {
  private readonly index: LexicalIndex;

  constructor(
    transitions: readonly Transition[],
    aligned: readonly AlignedTransition[] | null,
    items: ReadonlyMap<string, Item>,
    k: number,
  ) {
    const byId = new Map((aligned ?? []).map((a) => [a.transition.id, a]));
    const docs = transitions.map((t) => {
      const coded = pageCodes(t, items);
      const titles = t.page.map((id) => `"${itemOf(items, id).title}"`).join(', ');
      const alternatives = (byId.get(t.id)?.alternatives ?? []).map((a) => ({
        action: describe(a.action, coded),
        outcome: a.outcome,
      }));
      return {
        id: t.id,
        match: t.page.map((id) => itemLine(itemOf(items, id))).join('\n'),
        demo: DemoIndex.demo(
          `On a page of ${titles}`,
          describe(t.action, coded),
          nextStateText(t.action, coded),
          alternatives,
        ),
      };
    });
    super(docs, k);
    this.index = new LexicalIndex(docs.map((d) => ({ id: d.id, text: d.match })));
  }

  block(page: readonly Item[], exclude: string | null = null): string {
    if (this.k === 0) return '';
    return this.render(this.index.search(page.map(itemLine).join('\n'), this.k + 1), exclude);
  }
}

/** An action without the page's codes (they mean nothing on another page). */
function describe(action: PageAction, coded: ReadonlyMap<string, Item>): string {
  return actionText(action, coded).replace(/\bi\d+ "/g, '"');
}

/** Sessions data: a shop page, the human action on it and the page that followed. */
export class SessionWorldModelDemos extends DemoIndex {
  constructor(
    transitions: readonly SessionTransition[],
    aligned: readonly AlignedStep[] | null,
    k: number,
    private readonly index: StepIndex = new StepIndex(transitions),
  ) {
    const byId = new Map((aligned ?? []).map((a) => [a.id, a]));
    const docs = transitions.map((t) => ({
      id: t.id,
      demo: DemoIndex.demo(
        `On ${pageTitle(t.step.observation)} (${lastActionOf(t.step)})`,
        stepActionText(t.action),
        t.nextState,
        (byId.get(t.id)?.alternatives ?? []).map((a) => ({
          action: stepActionText(a.action as SessionAction),
          outcome: a.outcome,
        })),
      ),
    }));
    super(docs, k);
  }

  block(step: StepContext, exclude: string | null = null): string {
    if (this.k === 0) return '';
    return this.render(this.index.search(step, this.k + 1), exclude);
  }
}
