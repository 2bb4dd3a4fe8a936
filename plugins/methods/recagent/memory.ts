import { LexicalIndex, type Llm, type Rng } from '../../../harness/plugin-api.js';
import { writeInsights } from './insight.js';
import type { CallSettings, RecAgentPrompts } from './llm-call.js';
import { LongTermMemory, retrievalScore, type RetrievalWeights } from './long-term-memory.js';
import type { MemoryEntry } from './memory-entry.js';
import { reflect } from './reflection.js';
import { scaledImportance, scoreImportance } from './sensory-memory.js';
import { ShortTermMemory, type Promotion } from './short-term-memory.js';
import { SimilarityIndex } from './similarity.js';

export interface MemoryOptions {
  readonly importanceBatchSize: number;
  /** Sensory cut on the original's importance scale (score / 10 × 0.9): only observations above it are kept. */
  readonly sensoryThreshold: number;
  readonly stmCapacity: number;
  readonly reinforceThreshold: number;
  readonly reinforcementsToPromote: number;
  /** On the original's importance scale, as the sum of what entered long-term memory since the last reflection. */
  readonly reflectionThreshold: number;
  readonly reflectionMaxEntries: number;
  /** Long-term entries untouched for more than this many steps may be forgotten; null: never. */
  readonly forgetAfter: number | null;
  readonly weights: RetrievalWeights;
}

export interface MemoryDeps {
  readonly prompts: RecAgentPrompts;
  readonly settings: CallSettings;
  readonly profile: string;
}

/** What one consolidation step did, for tests and logs. */
export interface ObserveReport {
  readonly importance: readonly number[];
  /** Observations below the sensory threshold: never stored. */
  readonly dropped: readonly string[];
  readonly promoted: readonly Promotion[];
  readonly insights: readonly string[];
  readonly reflections: readonly string[];
  /** Short-term entries pushed out over capacity. */
  readonly forgotten: readonly MemoryEntry[];
  /** Long-term entries forgotten for being left untouched. */
  readonly forgottenLongTerm: readonly MemoryEntry[];
}

export interface RetrievedMemory {
  readonly entry: MemoryEntry;
  readonly score: number;
}

/**
 * RecAgent's memory in three stages. `observe` is one consolidation step:
 * sensory (importance scored in one batched call; observations at or below
 * the sensory threshold are dropped, as in the released code), short-term
 * (each observation reinforces the entries it resembles; entries reinforced
 * enough are promoted), long-term (promoted entries and their insights,
 * written in one batched call; a reflection when the importance accumulated
 * since the last one passes the threshold, at most once per step (ours);
 * then, for each kept observation, a forgetting pass over entries left
 * untouched too long). Retrieval ranks long- and short-term entries together,
 * as the released code does, and touches what a prompt shows.
 * LLM calls per step: ⌈n / importanceBatchSize⌉ + (1 if anything was promoted) + (1 if a reflection is due).
 */
export class RecAgentMemory {
  private step = 0;
  private nextId = 1;
  private stm: ShortTermMemory;
  private ltm = new LongTermMemory();
  private index: { docs: MemoryEntry[]; lexical: LexicalIndex } | null = null;
  /** Step of the last access of entries touched since their creation (promotion, retrieval into a prompt). */
  private access = new Map<string, number>();

  /**
   * `rng`: the forgetting draws. `background`: texts that only weigh terms
   * for the similarity of observations (e.g. the user's older history), never
   * remembered.
   */
  constructor(
    private readonly opts: MemoryOptions,
    private readonly deps: MemoryDeps,
    private rng: Rng,
    private readonly background: readonly string[] = [],
  ) {
    this.stm = new ShortTermMemory({
      capacity: opts.stmCapacity,
      threshold: opts.reinforceThreshold,
      promoteAfter: opts.reinforcementsToPromote,
    });
  }

  get now(): number {
    return this.step;
  }

  get shortTerm(): readonly MemoryEntry[] {
    return this.stm.entries;
  }

  get longTerm(): readonly MemoryEntry[] {
    return this.ltm.entries;
  }

  /** Importance accumulated in long-term memory since the last reflection. */
  get pendingImportance(): number {
    return this.ltm.pendingImportance;
  }

  private entry(kind: MemoryEntry['kind'], text: string, importance: number, step: number): MemoryEntry {
    return { id: `m${this.nextId++}`, kind, text, importance, step };
  }

  private lastAccess = (e: MemoryEntry): number => this.access.get(e.id) ?? e.step;

  /** Marks entries as accessed now (shown in a prompt): their recency restarts and they are safe from forgetting for a while. */
  touch(entries: readonly MemoryEntry[]): void {
    for (const e of entries) this.access.set(e.id, this.step);
  }

  async observe(observations: readonly string[], llm: Llm): Promise<ObserveReport> {
    if (observations.length === 0)
      return {
        importance: [],
        dropped: [],
        promoted: [],
        insights: [],
        reflections: [],
        forgotten: [],
        forgottenLongTerm: [],
      };
    const importance = await scoreImportance(observations, llm, {
      ...this.deps,
      batchSize: this.opts.importanceBatchSize,
    });
    const start = this.step;
    const promoted: Array<Promotion & { at: number }> = [];
    const forgotten: MemoryEntry[] = [];
    const dropped: string[] = [];
    const fresh: MemoryEntry[] = [];
    observations.forEach((text, k) => {
      const score = importance[k] as number;
      // The released code keeps a sensory summary only above its cut (recagent_memory.py:153); time passes either way.
      if (scaledImportance(score) > this.opts.sensoryThreshold)
        fresh.push(this.entry('observation', text, score, start + k + 1));
      else dropped.push(text);
    });
    const similarity = new SimilarityIndex([
      ...this.background.map((text, k) => ({ id: `background${k}`, text })),
      ...this.stm.entries.map((e) => ({ id: e.id, text: e.text })),
      ...fresh.map((e) => ({ id: e.id, text: e.text })),
    ]);
    for (const e of fresh) {
      this.step = e.step;
      for (const p of this.stm.reinforce(e.text, (ids) => similarity.relative(e.id, e.text, ids)))
        promoted.push({ ...p, at: this.step });
      const gone = this.stm.add(e);
      if (gone) forgotten.push(gone);
    }
    this.step = start + observations.length;
    const insights = await writeInsights(promoted, llm, this.deps);
    promoted.forEach((p, k) => {
      // An entry entering long-term memory is accessed then (the released code stamps it with the time of the save).
      this.access.set(p.entry.id, p.at);
      this.ltm.add(p.entry);
      this.ltm.add(this.entry('insight', insights[k] as string, p.entry.importance, p.at));
    });
    let reflections: string[] = [];
    if (this.ltm.pendingImportance > this.opts.reflectionThreshold) {
      const basis = this.ltm.sinceReflection;
      reflections = await reflect(basis, llm, { ...this.deps, maxEntries: this.opts.reflectionMaxEntries });
      // As the released code: a reflection weighs the mean importance of what it was drawn from.
      const weight = basis.reduce((a, e) => a + e.importance, 0) / basis.length;
      for (const r of reflections) this.ltm.add(this.entry('reflection', r, weight, this.step));
      this.ltm.markReflected();
    }
    // The released code runs a forgetting pass after every observation that reaches memory.
    const forgottenLongTerm: MemoryEntry[] = [];
    if (this.opts.forgetAfter !== null)
      for (const e of fresh)
        forgottenLongTerm.push(
          ...this.ltm.forget(
            e.step,
            this.lastAccess,
            { after: this.opts.forgetAfter, decay: this.opts.weights.decay },
            this.rng,
          ),
        );
    for (const e of forgottenLongTerm) this.access.delete(e.id);
    this.index = null;
    return {
      importance,
      dropped,
      promoted: promoted.map(({ entry, reinforcedBy }) => ({ entry, reinforcedBy })),
      insights,
      reflections,
      forgotten,
      forgottenLongTerm,
    };
  }

  /** The k memories (long- and short-term) with the best retrieval score for `query`, best first. */
  retrieve(query: string, k: number): RetrievedMemory[] {
    const { docs, lexical } = this.lexical();
    if (docs.length === 0 || k <= 0) return [];
    const hits = lexical.search(query, docs.length);
    const best = hits[0]?.score ?? 0;
    const relevance = new Map(hits.map((h) => [h.id, best > 0 ? h.score / best : 0]));
    return docs
      .map((entry) => ({
        entry,
        score: retrievalScore(
          relevance.get(entry.id) ?? 0,
          entry.importance,
          this.step - this.lastAccess(entry),
          this.opts.weights,
        ),
      }))
      .sort((a, b) => b.score - a.score || b.entry.step - a.entry.step || (a.entry.id < b.entry.id ? -1 : 1))
      .slice(0, k);
  }

  private lexical(): { docs: MemoryEntry[]; lexical: LexicalIndex } {
    if (!this.index) {
      const docs = [...this.ltm.entries, ...this.stm.entries];
      this.index = { docs, lexical: new LexicalIndex(docs.map((e) => ({ id: e.id, text: e.text }))) };
    }
    return this.index;
  }

  /**
   * The entries created after logical time `step` that memory still holds
   * (short-term ones not forgotten, long-term ones, insights, reflections),
   * oldest first: what a session has added since it started.
   */
  since(step: number): MemoryEntry[] {
    return [...this.ltm.entries, ...this.stm.entries]
      .filter((e) => e.step > step)
      .sort((a, b) => a.step - b.step || Number(a.id.slice(1)) - Number(b.id.slice(1)));
  }

  /**
   * An independent copy, its forgetting drawn from `rng`: a unit (a visit, a
   * decision that touches what it retrieves) writes to it without touching
   * the user's base memory.
   */
  fork(rng: Rng): RecAgentMemory {
    const c = new RecAgentMemory(this.opts, this.deps, rng, this.background);
    c.step = this.step;
    c.nextId = this.nextId;
    c.stm = this.stm.clone();
    c.ltm = this.ltm.clone();
    c.access = new Map(this.access);
    return c;
  }
}
