import {
  attributesText,
  splitHistory,
  type HistoryEntry,
  type RatingScale,
  type Llm,
  type UserView,
} from '../../../harness/plugin-api.js';
import { generatePersona, personaText, type PersonaGenerationSettings } from './persona-generation.js';
import { historyList } from './text.js';

/** What a state shows of the user: a persona summary and their recent liked and disliked items. */
export interface UserState {
  readonly persona: string;
  readonly liked: string;
  readonly disliked: string;
}

export interface StateBudget {
  readonly maxLiked: number;
  readonly maxDisliked: number;
}

interface GenreStat {
  readonly genre: string;
  count: number;
  sum: number;
  rated: number;
}

/**
 * A persona summary written from the training history only, without an LLM
 * call (ours): demographics, how much and how generously the person rates, the
 * genres they watch most and the ones they rate lowest.
 */
export function personaSummary(
  attributes: Readonly<Record<string, string | number>>,
  history: readonly HistoryEntry[],
  scale: RatingScale | null,
): string {
  const parts = [`${attributesText({ id: '', attributes, history, scale }).replace(/\.$/, '')}.`];
  const rated = history.filter((h) => h.rating !== null);
  if (rated.length > 0 && scale) {
    const mean = rated.reduce((s, h) => s + (h.rating as number), 0) / rated.length;
    parts.push(`Has rated ${rated.length} items, ${mean.toFixed(1)} on average on a ${scale.min}–${scale.max} scale.`);
  } else if (history.length > 0) {
    parts.push(`Has interacted with ${history.length} items.`);
  }
  const stats = new Map<string, GenreStat>();
  for (const h of history) {
    for (const g of h.item.genres) {
      let s = stats.get(g);
      if (!s) stats.set(g, (s = { genre: g, count: 0, sum: 0, rated: 0 }));
      s.count++;
      if (h.rating !== null) {
        s.sum += h.rating;
        s.rated++;
      }
    }
  }
  const all = [...stats.values()];
  const meanOf = (s: GenreStat) => (s.rated === 0 ? null : s.sum / s.rated);
  const fmt = (s: GenreStat) => {
    const m = meanOf(s);
    return `${s.genre} (${s.count}${m === null ? '' : `, mean ${m.toFixed(1)}`})`;
  };
  const most = [...all].sort((a, b) => b.count - a.count || a.genre.localeCompare(b.genre)).slice(0, 4);
  if (most.length > 0) parts.push(`Watches most: ${most.map(fmt).join(', ')}.`);
  const lowest = all
    .filter((s) => s.rated >= 2 && !most.slice(0, 2).includes(s))
    .sort((a, b) => (meanOf(a) as number) - (meanOf(b) as number) || a.genre.localeCompare(b.genre))
    .slice(0, 2);
  if (lowest.length > 0 && scale) parts.push(`Rates lowest: ${lowest.map(fmt).join(', ')}.`);
  return parts.join(' ');
}

/**
 * The state of a user at the end of `history` (fit uses a prefix of the
 * training history, inference all of it). `persona` is the persona text to
 * show (a generated persona); without it, the rating summary alone.
 */
export function stateOf(user: UserView, budget: StateBudget, persona?: string): UserState {
  const h = splitHistory(user, { maxLiked: budget.maxLiked, maxDisliked: budget.maxDisliked });
  return {
    persona: persona ?? personaSummary(user.attributes, user.history, user.scale),
    liked: historyList(h.liked),
    disliked: historyList(h.disliked),
  };
}

/** The persona text of a user: generated (one call) or the rating summary (none). */
export async function personaOf(
  llm: Llm | null,
  user: UserView,
  generation: PersonaGenerationSettings | null,
): Promise<string> {
  const summary = personaSummary(user.attributes, user.history, user.scale);
  if (!generation) return summary;
  if (!llm) throw new Error('alignuser: persona generation needs an LLM');
  return personaText(await generatePersona(llm, user, generation), summary);
}

/**
 * Users' states, built once per user (the persona call too): later tasks
 * (next-action prediction, closed-loop browsing) reuse them independently of
 * the task at hand. Concurrent units of one user share the one call.
 */
export class PersonaBook {
  private readonly states = new Map<string, Promise<UserState>>();

  constructor(
    private readonly budget: StateBudget,
    private readonly generation: PersonaGenerationSettings | null,
  ) {}

  stateOf(user: UserView, llm: Llm | null): Promise<UserState> {
    let s = this.states.get(user.id);
    if (!s) {
      s = personaOf(llm, user, this.generation).then((persona) => stateOf(user, this.budget, persona));
      this.states.set(user.id, s);
      // A failed call is not remembered: the next unit of the user tries again.
      s.catch(() => this.states.delete(user.id));
    }
    return s;
  }
}
