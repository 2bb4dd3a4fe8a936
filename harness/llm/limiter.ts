import { sleep } from './retry.js';

/**
 * Per provider+model limits: requests in flight, requests per minute and
 * tokens per minute (token buckets refilled continuously), and optionally an
 * adaptive concurrency that halves on a 429 and creeps back on success.
 */
export class Limiter {
  private inFlight = 0;
  private limit: number;
  private readonly waiters: Array<() => void> = [];
  private reqTokens: number;
  private tokTokens: number;
  private last = performance.now();
  private successes = 0;
  /** Highest concurrency seen (the bench reads it). */
  maxInFlight = 0;

  constructor(
    private readonly opts: {
      maxConcurrency: number;
      requestsPerMinute: number | null;
      tokensPerMinute: number | null;
      adaptive: boolean;
    },
  ) {
    this.limit = opts.maxConcurrency;
    this.reqTokens = opts.requestsPerMinute ?? 0;
    this.tokTokens = opts.tokensPerMinute ?? 0;
  }

  get concurrency(): number {
    return this.limit;
  }

  private refill(): void {
    const now = performance.now();
    const minutes = (now - this.last) / 60_000;
    this.last = now;
    if (this.opts.requestsPerMinute)
      this.reqTokens = Math.min(this.opts.requestsPerMinute, this.reqTokens + minutes * this.opts.requestsPerMinute);
    if (this.opts.tokensPerMinute)
      this.tokTokens = Math.min(this.opts.tokensPerMinute, this.tokTokens + minutes * this.opts.tokensPerMinute);
  }

  /** Waits for a slot and for the rate budgets; returns the release function. */
  async acquire(tokens: number, signal: AbortSignal): Promise<() => void> {
    while (this.inFlight >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.takeBudget(tokens, signal);
    } catch (e) {
      this.release();
      throw e;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  private async takeBudget(tokens: number, signal: AbortSignal): Promise<void> {
    const rpm = this.opts.requestsPerMinute;
    const tpm = this.opts.tokensPerMinute;
    if (!rpm && !tpm) return;
    // A request larger than the whole minute budget could never pass: let it through alone.
    const need = tpm ? Math.min(tokens, tpm) : 0;
    for (;;) {
      this.refill();
      const reqOk = !rpm || this.reqTokens >= 1;
      const tokOk = !tpm || this.tokTokens >= need;
      if (reqOk && tokOk) {
        if (rpm) this.reqTokens -= 1;
        if (tpm) this.tokTokens -= need;
        return;
      }
      const waitReq = rpm && !reqOk ? ((1 - this.reqTokens) / rpm) * 60_000 : 0;
      const waitTok = tpm && !tokOk ? ((need - this.tokTokens) / tpm) * 60_000 : 0;
      await sleep(Math.max(5, waitReq, waitTok), signal);
    }
  }

  private release(): void {
    this.inFlight--;
    while (this.inFlight < this.limit && this.waiters.length > 0) this.waiters.shift()?.();
  }

  onRateLimit(): void {
    if (!this.opts.adaptive) return;
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
  }

  onSuccess(): void {
    if (!this.opts.adaptive || this.limit >= this.opts.maxConcurrency) return;
    if (++this.successes >= 20) {
      this.successes = 0;
      this.limit++;
      while (this.inFlight < this.limit && this.waiters.length > 0) this.waiters.shift()?.();
    }
  }
}
