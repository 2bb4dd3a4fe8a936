import {
  observationTargets,
  type PastStep,
  type PredictedAction,
  type Session,
  type SessionAction,
} from '../../../harness/plugin-api.js';

/** An action's class: its type, and for clicks its click type ("click:search", "input", "terminate"). */
export const classOf = (a: SessionAction): string => (a.type === 'click' ? `click:${a.clickType ?? 'other'}` : a.type);

/**
 * A target's shape: the first and last parts of its semantic id, so that
 * "search_results.some_product_3.product_name" on one page and on another count
 * as the same kind of element.
 */
export function shapeOf(target: string): string {
  const parts = target.split('.');
  return parts.length <= 2 ? target : `${parts[0]}.*.${parts[parts.length - 1]}`;
}

type Counts = Map<string, number>;
const bump = (m: Counts, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** The counts under `key`, made empty on first use. */
function countsAt(m: Map<string, Counts>, key: string): Counts {
  let c = m.get(key);
  if (!c) m.set(key, (c = new Map()));
  return c;
}

/** The key with the highest count, ties by key so the model is deterministic; undefined when empty. */
function top(m: Counts | undefined, allowed?: (k: string) => boolean): string | undefined {
  let best: string | undefined;
  let bestN = -1;
  for (const [k, n] of m ?? []) {
    if (allowed && !allowed(k)) continue;
    if (n > bestN || (n === bestN && best !== undefined && k < best)) {
      best = k;
      bestN = n;
    }
  }
  return best;
}

/**
 * First-order next-action frequencies from the training sessions: the most
 * frequent class after the previous action's class, acted on the page element
 * most often used for that class (by exact id, else by shape), typing the text
 * most often typed there. A page that lists no usable element ends the session.
 */
export class ActionModel {
  private readonly next = new Map<string, Counts>();
  private readonly targets = new Map<string, Counts>();
  private readonly shapes = new Map<string, Counts>();
  private readonly texts = new Map<string, Counts>();

  constructor(sessions: readonly Session[]) {
    for (const s of sessions) {
      let prev = 'start';
      for (const st of s.steps) {
        const c = classOf(st.action);
        bump(countsAt(this.next, prev), c);
        if (st.action.target) {
          bump(countsAt(this.targets, c), st.action.target);
          bump(countsAt(this.shapes, c), shapeOf(st.action.target));
          if (st.action.type === 'input') {
            bump(countsAt(this.texts, shapeOf(st.action.target)), st.action.text ?? '');
          }
        }
        prev = c;
      }
    }
  }

  predict(history: readonly PastStep[], observation: string): PredictedAction {
    const last = history[history.length - 1];
    const prev = last ? classOf(last.action) : 'start';
    const onPage = observationTargets(observation);
    const page = new Set(onPage);
    const pageShapes = new Set(onPage.map(shapeOf));
    // Classes in order of frequency after `prev` (then overall), keeping the first one this page allows.
    const ranked = [...(this.next.get(prev) ?? this.next.get('start') ?? new Map<string, number>())]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([c]) => c);
    for (const c of ranked) {
      if (c === 'terminate')
        return {
          action: { type: 'terminate', clickType: null, target: null, text: null },
          rationale: `after ${prev}, ending the session is the most frequent next step`,
        };
      const target = top(this.targets.get(c), (t) => page.has(t)) ?? this.byShape(c, onPage, pageShapes);
      if (!target) continue;
      const action: SessionAction =
        c === 'input'
          ? { type: 'input', clickType: null, target, text: top(this.texts.get(shapeOf(target))) ?? '' }
          : { type: 'click', clickType: c.slice('click:'.length) as SessionAction['clickType'], target, text: null };
      return { action, rationale: `after ${prev}, ${c} is the most frequent next step that this page allows` };
    }
    return {
      action: { type: 'terminate', clickType: null, target: null, text: null },
      rationale: 'no element of this page was used in training',
    };
  }

  /** The first element of the page (in page order) whose shape is the most used for this class. */
  private byShape(c: string, onPage: readonly string[], pageShapes: ReadonlySet<string>): string | undefined {
    const shape = top(this.shapes.get(c), (s) => pageShapes.has(s));
    return shape === undefined ? undefined : onPage.find((t) => shapeOf(t) === shape);
  }
}
