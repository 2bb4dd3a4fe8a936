import type { Llm } from '../api/method.js';
import { BatchPending } from '../llm/batch-pending.js';
import type { AttemptMode, LlmDoor } from '../llm/door.js';
import { UnitError } from '../llm/errors.js';
import { emptyTotals } from '../llm/usage-meter.js';
import type { PredictionStore } from '../results/prediction-store.js';
import type { StateRecord } from '../results/state-record.js';

/**
 * The per-user state of one method on one dataset (and seed): each piece is
 * built once per process by the first unit that asks, its calls metered on
 * their own and recorded in the state file the first time it is built in any
 * run. A later process (a resume, another shard) builds it again from the
 * LLM cache but charges nothing: the record already holds its usage.
 */
export class UserStates {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: PredictionStore<StateRecord>,
    private readonly door: LlmDoor | null,
    private readonly signal: AbortSignal,
    // `retry` under --retry-errors: a state whose build failed is asked again, like the units.
    private readonly attempts: AttemptMode = 'follow',
  ) {}

  get<T>(user: string, name: string, build: (llm: Llm | null) => Promise<T>): Promise<T> {
    const key = `${user}|${name}`;
    const known = this.memo.get(key);
    if (known) return known as Promise<T>;
    const usage = emptyTotals();
    const llm = this.door ? this.door.meter(usage, this.signal, { attempts: this.attempts }) : null;
    const record = (error: StateRecord['error']) => {
      const had = this.store.done.get(key);
      // Charged once: a record stays as first written, unless it recorded a failure this build mended.
      if (had && (had.error === null || error !== null)) return;
      this.store.append({ id: `state:${key}`, unit: key, user, name, error, usage });
    };
    const p = build(llm).then(
      (v) => {
        record(null);
        return v;
      },
      (e: unknown) => {
        // Waiting for a batch, or stopped: not a result; the next round or run builds it again.
        if (e instanceof BatchPending || this.signal.aborted) {
          if (this.memo.get(key) === p) this.memo.delete(key);
          throw e;
        }
        const kind = e instanceof UnitError ? e.kind : 'method';
        const message = e instanceof UnitError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
        record({ kind, message: `per-user ${name} of ${user}: ${message}` });
        throw e;
      },
    );
    this.memo.set(key, p);
    return p;
  }

  close(): void {
    this.store.compact([...this.store.done.keys()].sort());
  }
}
