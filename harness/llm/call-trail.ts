import { AsyncLocalStorage } from 'node:async_hooks';
import type { Usage } from './types.js';
import { addTotals, addUsage, emptyTotals, type UsageTotals } from './usage-meter.js';

/**
 * What a piece of work (a run, a fit, the making of one artifact) called:
 * every cache key its results depend on and what those calls cost, whether
 * they were answered by a provider, the cache, or an artifact made earlier.
 * `tainted` is set when an item of the work failed and was left out, so the
 * work's artifact is not stored as if it were whole.
 */
export interface Trail {
  readonly keys: Set<string>;
  readonly usage: UsageTotals;
  tainted: boolean;
  /** Set on a fit's trail: the per-item record fit helpers fill. */
  readonly fit?: FitReport;
}

/** One fit item that failed after its retries and repair turn: left out, the fit went on. */
export interface FitItemFailure {
  readonly stage: string;
  readonly item: string;
  readonly kind: string;
  readonly message: string;
  readonly reply?: string;
}

export interface FitReport {
  attempted: number;
  succeeded: number;
  failed: number;
  readonly failedByKind: Record<string, number>;
  /** The first failures in full (raw reply included); the rest are only counted. */
  readonly failures: FitItemFailure[];
  /** Items the fit's helpers were handed so far, and how many are done (progress). */
  planned: number;
  done: number;
  /** Stage now running, for the progress line. */
  stage: string | null;
  /** Set when a stage whose items the method cannot do without made none of them. */
  unusable: string | null;
}

export const MAX_RECORDED_FAILURES = 20;

const store = new AsyncLocalStorage<readonly Trail[]>();

export function newTrail(fit = false): Trail {
  const t: Trail = { keys: new Set(), usage: emptyTotals(), tainted: false };
  if (!fit) return t;
  return {
    ...t,
    fit: {
      attempted: 0,
      succeeded: 0,
      failed: 0,
      failedByKind: {},
      failures: [],
      planned: 0,
      done: 0,
      stage: null,
      unusable: null,
    },
  };
}

/** Runs `fn` with `trail` open on top of the trails already open around it (inner work is noted in each). */
export function withTrail<T>(trail: Trail, fn: () => Promise<T>): Promise<T> {
  return store.run([...(store.getStore() ?? []), trail], fn);
}

/** A call made through a door: its key and usage reach every open trail. */
export function noteCall(key: string, usage: Usage, costUsd: number, cached: boolean): void {
  for (const t of store.getStore() ?? []) {
    t.keys.add(key);
    addUsage(t.usage, usage, costUsd, cached);
  }
}

/** A stored artifact was reused: the calls that made it count as answered from stored work. */
export function noteReused(keys: readonly string[], usage: UsageTotals): void {
  for (const t of store.getStore() ?? []) {
    for (const k of keys) t.keys.add(k);
    addTotals(t.usage, { ...usage, cacheHits: usage.calls });
  }
}

/** An item was left out: every open trail's result is incomplete. */
export function noteTainted(): void {
  for (const t of store.getStore() ?? []) t.tainted = true;
}

/** The innermost open fit report, if any (fit helpers record items into it). */
export function currentFit(): FitReport | null {
  const open = store.getStore() ?? [];
  for (let i = open.length - 1; i >= 0; i--) {
    const f = open[i]?.fit;
    if (f) return f;
  }
  return null;
}
