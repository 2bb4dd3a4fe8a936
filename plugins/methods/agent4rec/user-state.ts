import { BatchPending, UnitError, type Llm, type TrainData, type UserView } from '../../../harness/plugin-api.js';
import type { Agent4RecProfile, Taste } from './profile.js';
import { writeTaste, type TasteDeps } from './taste.js';
import { computeTraits, itemMeans, type TraitValues, type Traits } from './traits.js';

/**
 * Per-user agent state, independent of any task: traits (computed for every
 * training user in `fit`), the items' historical ratings, and taste summaries
 * (one LLM call per user, memoised as a Promise because units of one user run
 * concurrently; a failed summary is forgotten so a later unit retries).
 */
export class Agent4RecUsers {
  private traits: Map<string, { traits: Traits; values: TraitValues }> | null = null;
  private means = new Map<string, { mean: number; count: number }>();
  private readonly tastes = new Map<string, Promise<Taste>>();

  constructor(private readonly tasteDeps: TasteDeps) {}

  fit(train: TrainData): void {
    const genres = new Map(train.items.map((i) => [i.id, i.genres]));
    this.traits = computeTraits(train.interactions, (id) => genres.get(id) ?? []);
    this.means = itemMeans(train.interactions);
  }

  meanOf = (itemId: string): { mean: number; count: number } | undefined => this.means.get(itemId);

  traitsOf(userId: string): { traits: Traits; values: TraitValues } {
    if (!this.traits) throw new UnitError('method', 'agent4rec: traits are computed in fit(), which was not run');
    const t = this.traits.get(userId);
    if (!t) throw new UnitError('method', `agent4rec: user ${userId} has no training interactions, so no traits`);
    return t;
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

  async profile(user: UserView, llm: Llm): Promise<Agent4RecProfile> {
    const { traits, values } = this.traitsOf(user.id);
    return { userId: user.id, traits, values, taste: await this.taste(user, llm) };
  }
}
