import { BatchPending, UnitError, type Llm, type TrainData, type UserView } from '../../../harness/plugin-api.js';
import type { ItemMeanOf } from './page.js';
import type { Agent4RecProfile, Taste } from './profile.js';
import { writeTaste, type TasteDeps } from './taste.js';
import { computeTraits, itemMeans, type TraitValues, type Traits } from './traits.js';

/** Where a user's traits and taste come from: the dataset's released profile (when it has one) or our own. */
export type ProfileSource = 'released' | 'derived';

/**
 * Per-user agent state, independent of any task: traits (computed for every
 * training user in `fit`, or released by the dataset), the items' historical
 * ratings, and taste summaries (one LLM call per user, memoised as a Promise
 * because units of one user run concurrently; in the runner they go through
 * the per-user record, see index.ts).
 */
export class Agent4RecUsers {
  private traits: Map<string, { traits: Traits; values: TraitValues }> | null = null;
  private means = new Map<string, { mean: number; count: number }>();
  private published = new Map<string, number>();
  private readonly tastes = new Map<string, Promise<Taste>>();

  constructor(
    private readonly tasteDeps: TasteDeps,
    private readonly source: ProfileSource,
  ) {}

  fit(train: TrainData): void {
    const genres = new Map(train.items.map((i) => [i.id, i.genres]));
    this.traits = computeTraits(train.interactions, (id) => genres.get(id) ?? []);
    this.means = itemMeans(train.interactions);
    this.published = new Map(train.items.flatMap((i) => (i.meanRating === undefined ? [] : [[i.id, i.meanRating]])));
  }

  /** An item's historical rating: the one the dataset publishes (Agent4Rec's, over all its ratings), else the mean training rating. */
  meanOf: ItemMeanOf = (itemId) => {
    const own = this.means.get(itemId);
    const published = this.published.get(itemId);
    return published === undefined ? own : { mean: published, count: own?.count ?? 0 };
  };

  traitsOf(user: UserView): { traits: Traits; values: TraitValues } {
    const released = this.source === 'released' ? user.published?.traits : undefined;
    if (released)
      return { traits: released, values: { activity: Number.NaN, diversity: Number.NaN, conformity: Number.NaN } };
    if (!this.traits) throw new UnitError('method', 'agent4rec: traits are computed in fit(), which was not run');
    const t = this.traits.get(user.id);
    if (!t) throw new UnitError('method', `agent4rec: user ${user.id} has no training interactions, so no traits`);
    return t;
  }

  /** The taste the dataset released for the user, when profiles are released and it has one (no LLM call). */
  releasedTaste(user: UserView): Taste | null {
    const t = this.source === 'released' ? user.published?.taste : undefined;
    return t && t.length > 0 ? { taste: t.join(' '), ratingHabit: '', sentences: t } : null;
  }

  /** A taste summary made elsewhere (the fit stage). */
  setTaste(userId: string, taste: Taste): void {
    this.tastes.set(userId, Promise.resolve(taste));
  }

  taste(user: UserView, llm: Llm): Promise<Taste> {
    let p = this.tastes.get(user.id);
    if (!p) {
      const mine = writeTaste(user, llm, this.tasteDeps);
      p = mine;
      this.tastes.set(user.id, mine);
      // A failed summary stays (the user's units share the one error); only one waiting for a batch is made again.
      mine.catch((e: unknown) => {
        if (e instanceof BatchPending && this.tastes.get(user.id) === mine) this.tastes.delete(user.id);
      });
    }
    return p;
  }

  /** The profile, with the taste given (made through the per-user record, or released). */
  profile(user: UserView, taste: Taste): Agent4RecProfile {
    const { traits, values } = this.traitsOf(user);
    return { userId: user.id, traits, values, taste };
  }
}
