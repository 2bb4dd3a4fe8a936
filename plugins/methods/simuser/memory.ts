import {
  LexicalIndex,
  type HistoryEntry,
  type Item,
  type RatingScale,
  type UserView,
} from '../../../harness/plugin-api.js';

/**
 * interaction: a training interaction (what the real user did);
 * decision: what the simulator itself decided in an earlier unit;
 * reflection: the note it wrote after an earlier unit;
 * page: what it saw and did on an earlier page of the current visit (browse;
 * kept in the visit's own memory, never in the user's).
 */
export type EpisodeKind = 'interaction' | 'decision' | 'reflection' | 'page';

export interface Episode {
  readonly id: string;
  readonly kind: EpisodeKind;
  readonly text: string;
  /** Order of writing, 0 first. */
  readonly seq: number;
}

/**
 * SimUSER's episodic memory of one user: an append-only log searched by BM25.
 * Kept apart from any task so that the closed-loop and next-action tasks can
 * reuse it.
 */
export class EpisodicMemory {
  private readonly episodes: Episode[] = [];
  private readonly index = new LexicalIndex();

  constructor(readonly userId: string) {}

  add(kind: EpisodeKind, text: string): Episode {
    const seq = this.episodes.length;
    // Zero-padded so that the index's tie-break by id is the order of writing.
    const e: Episode = { id: `${kind}-${String(seq).padStart(7, '0')}`, kind, text, seq };
    this.episodes.push(e);
    this.index.add({ id: e.id, text });
    return e;
  }

  get size(): number {
    return this.episodes.length;
  }

  all(): readonly Episode[] {
    return this.episodes;
  }

  /** The k episodes (of the given kinds) that best match `query` by BM25. */
  retrieve(
    query: string,
    k: number,
    kinds: readonly EpisodeKind[] = ['interaction', 'decision', 'reflection'],
  ): Episode[] {
    if (k <= 0) return [];
    const wanted = new Set(kinds);
    const byId = new Map(this.episodes.map((e) => [e.id, e]));
    const out: Episode[] = [];
    for (const hit of this.index.search(query, this.episodes.length)) {
      const e = byId.get(hit.id);
      if (e && wanted.has(e.kind)) out.push(e);
      if (out.length === k) break;
    }
    return out;
  }

  /** The n most recent episodes of a kind, newest first. */
  latest(kind: EpisodeKind, n: number): Episode[] {
    const out: Episode[] = [];
    for (let i = this.episodes.length - 1; i >= 0 && out.length < n; i--) {
      const e = this.episodes[i] as Episode;
      if (e.kind === kind) out.push(e);
    }
    return out;
  }
}

export function interactionText(h: HistoryEntry, scale: RatingScale | null, describe: (item: Item) => string): string {
  if (h.rating === null) return `You chose ${describe(h.item)}`;
  return `You gave ${h.rating}${scale ? ` out of ${scale.max}` : ''} to ${describe(h.item)}`;
}

/**
 * One EpisodicMemory per user, seeded with the user's training interactions
 * the first time the user is seen, and a per-user queue so that units of the
 * same user that read and write the memory run one after another in the order
 * they were started.
 */
export class MemoryBank {
  private readonly memories = new Map<string, EpisodicMemory>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly describe: (item: Item) => string) {}

  of(user: UserView): EpisodicMemory {
    let m = this.memories.get(user.id);
    if (!m) {
      m = new EpisodicMemory(user.id);
      for (const h of user.history) m.add('interaction', interactionText(h, user.scale, this.describe));
      this.memories.set(user.id, m);
    }
    return m;
  }

  /**
   * Runs `fn` after every earlier `exclusive` call for the same user settled
   * (whether it succeeded or not). The queue position is taken synchronously,
   * so the order is the order of the calls.
   */
  exclusive<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(userId) ?? Promise.resolve();
    const run = before.then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(userId, tail);
    void tail.then(() => {
      if (this.queues.get(userId) === tail) this.queues.delete(userId);
    });
    return run;
  }
}
