import { attributesText, splitHistory, type UserView } from '../../../harness/plugin-api.js';

/**
 * RecAgent's profile module gives each agent an identity (demographics,
 * interests, habits). We build it from what the dataset has, with no LLM call:
 * the user's attributes, their interests as the most frequent genres of the
 * items they liked in training, and their rating habit (ours).
 */
export interface RecAgentProfile {
  readonly userId: string;
  readonly attributes: string;
  /** Most frequent genres among liked training items, most frequent first. */
  readonly interests: readonly string[];
  /** Mean training rating and how many items were rated; null for implicit feedback. */
  readonly ratingHabit: {
    readonly mean: number;
    readonly rated: number;
    readonly min: number;
    readonly max: number;
  } | null;
}

export function buildProfile(user: UserView, interestGenres: number): RecAgentProfile {
  const { liked } = splitHistory(user);
  const counts = new Map<string, number>();
  for (const h of liked) for (const g of h.item.genres) counts.set(g, (counts.get(g) ?? 0) + 1);
  const interests = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, interestGenres)
    .map(([g]) => g);
  const ratings = user.history.map((h) => h.rating).filter((r): r is number => r !== null);
  const ratingHabit =
    ratings.length > 0 && user.scale
      ? {
          mean: ratings.reduce((a, b) => a + b, 0) / ratings.length,
          rated: ratings.length,
          min: user.scale.min,
          max: user.scale.max,
        }
      : null;
  return { userId: user.id, attributes: attributesText(user), interests, ratingHabit };
}

export function profileText(p: RecAgentProfile): string {
  const lines = [
    `About you: ${p.attributes}`,
    `Your interests: ${p.interests.length > 0 ? p.interests.join(', ') : 'not yet known'}.`,
  ];
  if (p.ratingHabit) {
    const h = p.ratingHabit;
    lines.push(
      `Your rating habit: over ${h.rated} items you rated, your average was ${h.mean.toFixed(1)} on a scale from ${h.min} to ${h.max}.`,
    );
  }
  return lines.join('\n');
}
