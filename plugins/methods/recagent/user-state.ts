import { BatchPending, itemLine, Rng, type Llm, type UnitContext, type UserView } from '../../../harness/plugin-api.js';
import { perUser } from '../shared/per-user.js';
import { needLlm } from '../shared/structured-calls.js';
import { RecAgentMemory, type MemoryDeps, type MemoryOptions } from './memory.js';
import { buildProfile, profileText, type RecAgentProfile } from './profile.js';

/** One simulated user: who they are and what they remember. Independent of any task. */
export interface RecAgentUser {
  readonly profile: RecAgentProfile;
  readonly profileText: string;
  /** The memory seeded from the training history; sessions that write to memory fork it. */
  readonly memory: RecAgentMemory;
}

export interface UserStateOptions {
  readonly seedObservations: number;
  readonly interestGenres: number;
  readonly memory: MemoryOptions;
}

/**
 * The user's most recent training interactions (up to `cap`), oldest first,
 * as first-person observations: what memory is seeded with (ours: the paper
 * starts from an empty memory and a hand-written or generated profile).
 */
export function seedObservations(user: UserView, cap: number): string[] {
  const max = user.scale?.max;
  if (cap <= 0) return [];
  return user.history
    .slice(-cap)
    .map((h) =>
      h.rating === null
        ? `I chose ${itemLine(h.item)}.`
        : `I chose ${itemLine(h.item)}; I rated it ${h.rating} out of ${max ?? 'the maximum'}.`,
    );
}

/**
 * Per-user state: the profile and the memory seeded from training, the same
 * for every unit of a user. In a run it goes through the runner's per-user
 * record (`ctx.perUser`: built once, its calls charged once to that record,
 * however the run is cut); outside the runner (unit tests) a memoised Promise
 * shares it. A failed build is kept too: the user's units share its one error
 * and its one set of calls (a batch round's BatchPending is the exception).
 * Every unit works on its own copy (`forUnit`): a unit that writes to memory
 * (a visit, a retrieval touching entries) must not reach another unit, or
 * results would depend on the order the units ran in.
 */
export class RecAgentUsers {
  private readonly users = new Map<string, Promise<RecAgentUser>>();

  constructor(
    private readonly opts: UserStateOptions,
    private readonly deps: Omit<MemoryDeps, 'profile'>,
    /** The run seed: the forgetting draws while seeding a user derive from it and the user's id. */
    private readonly seed: number,
  ) {}

  /** The user's pre-unit state, copied for one unit (its memory forked, forgetting drawn from the unit's `rng`). */
  async forUnit(user: UserView, unit: UnitContext): Promise<RecAgentUser> {
    const base = await perUser(unit, user.id, 'memory', (l) => this.get(user, needLlm(l, 'recagent')));
    return { ...base, memory: base.memory.fork(new Rng(unit.rng.nextUint32())) };
  }

  private get(user: UserView, llm: Llm): Promise<RecAgentUser> {
    let p = this.users.get(user.id);
    if (!p) {
      p = this.build(user, llm);
      this.users.set(user.id, p);
      const mine = p;
      // A failed build stays (its units share the one error); only one waiting for a batch is made again.
      p.catch((e: unknown) => {
        if (e instanceof BatchPending && this.users.get(user.id) === mine) this.users.delete(user.id);
      });
    }
    return p;
  }

  private async build(user: UserView, llm: Llm): Promise<RecAgentUser> {
    const profile = buildProfile(user, this.opts.interestGenres);
    const text = profileText(profile);
    const all = seedObservations(user, Infinity);
    const seeds = seedObservations(user, this.opts.seedObservations);
    const memory = new RecAgentMemory(
      this.opts.memory,
      { ...this.deps, profile: text },
      Rng.derive(this.seed, 'recagent-memory', user.id),
      all.slice(0, all.length - seeds.length),
    );
    await memory.observe(seeds, llm);
    return { profile, profileText: text, memory };
  }
}
