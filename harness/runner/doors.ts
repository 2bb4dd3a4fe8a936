import type { Logger } from '../api/plugin.js';
import type { LlmCache } from '../llm/cache.js';
import { LlmDoor } from '../llm/door.js';
import type { PriceTable } from '../llm/prices.js';
import type { Spend } from '../llm/spend.js';
import { emptyTotals, type UsageTotals } from '../llm/usage-meter.js';
import type { Plan } from '../plan/plan.js';

/** The run's doors to its models: one per planned endpoint, keyed like the plan's endpoints. */
export class Doors {
  private readonly byKey = new Map<string, LlmDoor>();

  constructor(
    plan: Plan,
    opts: {
      readonly cache: LlmCache | null;
      readonly cacheOnly: boolean;
      readonly prices: PriceTable;
      readonly log: Logger;
      readonly spend: Spend;
    },
  ) {
    const cfg = plan.cfg;
    for (const e of plan.endpoints) {
      this.byKey.set(
        e.key,
        new LlmDoor(e.provider, {
          runtime: e.runtime,
          // A mock is deterministic and free: caching it would only fill the disk.
          cache: e.provider.mock ? null : opts.cache,
          cacheOnly: opts.cacheOnly,
          prices: opts.prices,
          seed: cfg.seeds[0] as number,
          spend: opts.spend,
          warn: opts.log.warn,
        }),
      );
    }
  }

  of(key: string | null | undefined): LlmDoor | null {
    return key ? (this.byKey.get(key) ?? null) : null;
  }

  /** The short id a door's batch jobs are filed under in the ledger. */
  idOf(door: LlmDoor): string {
    for (const [k, d] of this.byKey) if (d === door) return k.slice(0, 16);
    throw new Error('unknown door');
  }

  all(): LlmDoor[] {
    return [...this.byKey.values()];
  }

  /** Every call of the run so far, cached or not. */
  totals(): UsageTotals {
    const t = emptyTotals();
    for (const d of this.byKey.values()) addUsageTotals(t, d.runTotals);
    return t;
  }

  /** Structured-reply repairs and failures over every door. */
  replyStats(): { repairs: number; libraryRepairs: number; failed: number } {
    const t = { repairs: 0, libraryRepairs: 0, failed: 0 };
    for (const d of this.byKey.values()) {
      t.repairs += d.replyStats.repairs;
      t.libraryRepairs += d.replyStats.libraryRepairs;
      t.failed += d.replyStats.failed;
    }
    return t;
  }

  spentUsd(): number {
    return this.all().reduce((s, d) => s + d.spent.costUsd, 0);
  }

  async close(): Promise<void> {
    for (const d of this.byKey.values()) await d.provider.close?.();
  }
}

export function addUsageTotals(into: UsageTotals, from: UsageTotals): void {
  into.calls += from.calls;
  into.cacheHits += from.cacheHits;
  into.input += from.input;
  into.cachedInput += from.cachedInput;
  into.output += from.output;
  into.costUsd += from.costUsd;
}
