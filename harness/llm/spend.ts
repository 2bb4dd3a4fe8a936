/**
 * The run's money, shared by all its doors: what earlier invocations of the
 * run spent, what this one has spent, and what calls in flight may still
 * cost. `costLimitUsd` applies to the whole run across invocations, and a call
 * is only sent when even its worst case (its prompt and all of maxTokens)
 * stays within the limit, so a run never spends more than the limit.
 */
export class Spend {
  /** USD that reached providers in this invocation. */
  spentUsd = 0;
  private reservedUsd = 0;
  private hit = false;

  constructor(
    /** USD spent by the run's earlier invocations (from the manifest). */
    readonly priorUsd: number,
    readonly limitUsd: number | null,
    private readonly onLimit: (why: string) => void = () => {},
  ) {}

  get totalUsd(): number {
    return this.priorUsd + this.spentUsd;
  }

  get limitReached(): boolean {
    return this.hit;
  }

  /**
   * Reserves a call's worst-case cost; false (and the limit callback, once)
   * when it could take the run past the limit. Release with `settle`.
   */
  reserve(worstUsd: number): boolean {
    const limit = this.limitUsd;
    if (limit === null) return true;
    if (this.hit || this.totalUsd + this.reservedUsd + worstUsd > limit) {
      if (!this.hit) {
        this.hit = true;
        this.onLimit(
          `cost limit reached: $${this.totalUsd.toFixed(4)} spent by this run so far (all invocations), and the next call could cost up to $${worstUsd.toFixed(4)} more, past costLimitUsd $${limit}`,
        );
      }
      return false;
    }
    this.reservedUsd += worstUsd;
    return true;
  }

  /** A reserved call came back (or failed): its reservation ends, its real cost counts. */
  settle(worstUsd: number, actualUsd: number): void {
    if (this.limitUsd !== null) this.reservedUsd = Math.max(0, this.reservedUsd - worstUsd);
    this.spentUsd += actualUsd;
  }
}
