import { describe, expect, it } from 'vitest';
import { Limiter } from '../../../harness/llm/limiter.js';

const signal = new AbortController().signal;
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('Limiter', () => {
  it('never lets more than maxConcurrency requests in flight', async () => {
    const l = new Limiter({ maxConcurrency: 3, requestsPerMinute: null, tokensPerMinute: null, adaptive: false });
    let now = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const release = await l.acquire(1, signal);
        now++;
        peak = Math.max(peak, now);
        await tick();
        now--;
        release();
      }),
    );
    expect(peak).toBe(3);
    expect(l.maxInFlight).toBe(3);
  });

  it('spaces requests by the requests-per-minute budget', async () => {
    // 600/min = one every 100 ms once the initial bucket of 600 is spent; start it empty by spending it.
    const l = new Limiter({ maxConcurrency: 100, requestsPerMinute: 600, tokensPerMinute: null, adaptive: false });
    for (let i = 0; i < 600; i++) (await l.acquire(0, signal))();
    const started = performance.now();
    for (let i = 0; i < 3; i++) (await l.acquire(0, signal))();
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('spaces requests by the tokens-per-minute budget', async () => {
    const l = new Limiter({ maxConcurrency: 100, requestsPerMinute: null, tokensPerMinute: 60_000, adaptive: false });
    (await l.acquire(60_000, signal))();
    const started = performance.now();
    (await l.acquire(100, signal))(); // 100 tokens at 1000/s ≈ 100 ms
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('adaptive: halves concurrency on a rate limit and creeps back after successes', () => {
    const l = new Limiter({ maxConcurrency: 16, requestsPerMinute: null, tokensPerMinute: null, adaptive: true });
    l.onRateLimit();
    expect(l.concurrency).toBe(8);
    l.onRateLimit();
    expect(l.concurrency).toBe(4);
    for (let i = 0; i < 20; i++) l.onSuccess();
    expect(l.concurrency).toBe(5);
    const fixed = new Limiter({ maxConcurrency: 16, requestsPerMinute: null, tokensPerMinute: null, adaptive: false });
    fixed.onRateLimit();
    expect(fixed.concurrency).toBe(16);
  });

  it('a waiting acquire rejects when the run is stopped', async () => {
    const l = new Limiter({ maxConcurrency: 1, requestsPerMinute: null, tokensPerMinute: null, adaptive: false });
    const held = await l.acquire(0, signal);
    const stop = new AbortController();
    const waiting = l.acquire(0, stop.signal);
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    held();
  });
});
