import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { BatchPending } from '../../../harness/llm/batch-pending.js';
import { LlmCache } from '../../../harness/llm/cache.js';
import { CostLimitStop, LlmDoor, type DoorOptions } from '../../../harness/llm/door.js';
import { Spend } from '../../../harness/llm/spend.js';
import { LlmAuthError, LlmParseError, UnitError } from '../../../harness/llm/errors.js';
import type { CallRecord } from '../../../harness/llm/call-record.js';
import { loadPriceTable } from '../../../harness/llm/prices.js';
import { ProviderError } from '../../../harness/llm/provider-error.js';
import { LlmRuntimeOptions, type LlmRuntime } from '../../../harness/llm/runtime-options.js';
import type { LlmProvider, LlmRequest, ProviderReply } from '../../../harness/llm/types.js';
import { emptyTotals } from '../../../harness/llm/usage-meter.js';

const runtime = (over: Partial<LlmRuntime> = {}): LlmRuntime => ({
  ...(Value.Default(LlmRuntimeOptions, {}) as LlmRuntime),
  backoffBaseMs: 1,
  backoffCapMs: 5,
  ...over,
});

function provider(
  reply: (r: LlmRequest, n: number) => ProviderReply | Promise<ProviderReply>,
  model = 'gpt-4.1-mini',
): LlmProvider & { calls: number } {
  const p = {
    provider: 'fake',
    model,
    mock: false,
    identity: { provider: 'fake', model },
    calls: 0,
    async complete(r: LlmRequest) {
      p.calls++;
      return reply(r, p.calls);
    },
  };
  return p;
}

const ok = (text: string): ProviderReply => ({
  text,
  model: 'gpt-4.1-mini-2025-04-14',
  usage: { input: 1_000_000, cachedInput: 0, output: 1_000_000 },
});
const req = (content: string, extra: Partial<LlmRequest> = {}): LlmRequest => ({
  messages: [{ role: 'user', content }],
  ...extra,
});
const signal = new AbortController().signal;

function door(p: LlmProvider, over: Partial<DoorOptions> = {}): LlmDoor {
  return new LlmDoor(p, {
    runtime: runtime(),
    cache: null,
    cacheOnly: false,
    prices: loadPriceTable(),
    seed: 1,
    ...over,
  });
}

function tempCache(): LlmCache {
  return new LlmCache(join(mkdtempSync(join(tmpdir(), 'usersim-cache-')), 'llm.sqlite'));
}

describe('LlmDoor', () => {
  it('prices a call from the dated table by model prefix (gpt-4.1-mini: $0.40 in, $1.60 out per million)', async () => {
    const d = door(provider(() => ok('hi')));
    const t = emptyTotals();
    const r = await d.meter(t, signal).complete(req('x'));
    expect(r.costUsd).toBeCloseTo(2.0, 10);
    expect(t).toMatchObject({ calls: 1, input: 1_000_000, output: 1_000_000 });
    expect(t.costUsd).toBeCloseTo(2.0, 10);
  });

  it('answers a repeated request from the cache, with the original cost, without calling the provider', async () => {
    const cache = tempCache();
    const p = provider((_r, n) => ok(`reply ${n}`));
    const d = door(p, { cache });
    const first = await d.meter(emptyTotals(), signal).complete(req('same', { temperature: 0 }));
    const t = emptyTotals();
    const second = await d.meter(t, signal).complete(req('same', { temperature: 0 }));
    expect(p.calls).toBe(1);
    expect(second).toMatchObject({ text: first.text, cached: true, costUsd: first.costUsd });
    expect(t.cacheHits).toBe(1);
    // Anything that changes output changes the key: temperature, sample index, schema.
    await d.meter(emptyTotals(), signal).complete(req('same', { temperature: 0.7 }));
    await d.meter(emptyTotals(), signal).complete(req('same', { temperature: 0, sample: 1 }));
    expect(p.calls).toBe(3);
    expect(d.usedKeys.size).toBe(3);
    cache.close();
  });

  it('--cache-only turns a miss into an error naming the key, and never calls the provider', async () => {
    const p = provider(() => ok('x'));
    const d = door(p, { cache: tempCache(), cacheOnly: true });
    const err = await d
      .meter(emptyTotals(), signal)
      .complete(req('q'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnitError);
    expect((err as Error).message).toMatch(/cache miss for request [0-9a-f]{64}/);
    expect(p.calls).toBe(0);
  });

  it('shares one provider call between identical requests in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const p = provider(async () => {
      await gate;
      return ok('once');
    });
    const d = door(p);
    const a = d.meter(emptyTotals(), signal).complete(req('dup'));
    const b = d.meter(emptyTotals(), signal).complete(req('dup'));
    release();
    expect((await a).text).toBe('once');
    expect((await b).text).toBe('once');
    expect(p.calls).toBe(1);
  });

  it('retries 429 and 5xx, honouring Retry-After, and gives up after maxAttempts', async () => {
    const p = provider((_r, n) => {
      if (n === 1) throw new ProviderError('HTTP 429', 429, 20);
      if (n === 2) throw new ProviderError('HTTP 503', 503);
      return ok('third time');
    });
    const started = performance.now();
    const r = await door(p).meter(emptyTotals(), signal).complete(req('r'));
    expect(r.text).toBe('third time');
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    const always = provider(() => {
      throw new ProviderError('HTTP 500', 500);
    });
    const err = await door(always, { runtime: runtime({ maxAttempts: 3 }) })
      .meter(emptyTotals(), signal)
      .complete(req('r'))
      .catch((e: unknown) => e);
    expect(always.calls).toBe(3);
    expect((err as Error).message).toMatch(/gave up after 3 attempts/);
  });

  it('does not retry 401/404 and says what to fix', async () => {
    const p = provider(() => {
      throw new ProviderError('HTTP 401: bad key', 401);
    });
    const err = await door(Object.assign(p, { hints: { apiKeyEnv: 'MY_KEY_VAR', baseURL: 'http://x' } }))
      .meter(emptyTotals(), signal)
      .complete(req('r'))
      .catch((e: unknown) => e);
    expect(p.calls).toBe(1);
    expect((err as Error).message).toContain('MY_KEY_VAR');
    const nf = provider(() => {
      throw new ProviderError('HTTP 404', 404);
    }, 'gpt-9');
    const err404 = await door(nf)
      .meter(emptyTotals(), signal)
      .complete(req('r'))
      .catch((e: unknown) => e);
    expect(nf.calls).toBe(1);
    expect((err404 as Error).message).toContain('check the model name (gpt-9)');
  });

  it('times out a call through its AbortSignal and retries it as transient', async () => {
    const p = provider((_r, n) =>
      n === 1
        ? new Promise<ProviderReply>(() => {
            /* never answers */
          })
        : ok('after timeout'),
    );
    // The fake ignores the signal; the retry layer's race is what must time out.
    const slow: LlmProvider = {
      ...p,
      complete: (r, s) =>
        new Promise<ProviderReply>((resolve, reject) => {
          s.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
          void Promise.resolve(p.complete(r, s)).then(resolve, reject);
        }),
    };
    const r = await door(slow, { runtime: runtime({ timeoutMs: 100 }) })
      .meter(emptyTotals(), signal)
      .complete(req('t'));
    expect(r.text).toBe('after timeout');
  });

  it('validates structured replies: tolerates fences and prose, repairs once quoting the error, then fails as a parse error', async () => {
    const schema = {
      type: 'object',
      properties: { like: { type: 'boolean' } },
      required: ['like'],
      additionalProperties: false,
    };
    const fenced = door(provider(() => ok('Sure!\n```json\n{"like": true}\n```\nHope that helps.')));
    expect(await fenced.meter(emptyTotals(), signal).json<{ like: boolean }>({ ...req('q'), schema })).toEqual({
      like: true,
    });

    const seen: LlmRequest[] = [];
    const repaired = door(
      provider((r, n) => {
        seen.push(r);
        return ok(n === 1 ? '{"like": "yes"}' : '{"like": false}');
      }),
    );
    const t = emptyTotals();
    expect(await repaired.meter(t, signal).json<{ like: boolean }>({ ...req('q'), schema })).toEqual({ like: false });
    expect(t.calls).toBe(2);
    expect(seen[1]?.messages.at(-1)?.content).toContain('/like: must be boolean');

    const hopeless = door(provider(() => ok('no idea')));
    const err = await hopeless
      .meter(emptyTotals(), signal)
      .json({ ...req('q'), schema })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect((err as UnitError).kind).toBe('parse');
  });

  it('sends a call only when its worst case (prompt and all of maxTokens) stays within costLimitUsd, over every invocation', async () => {
    // gpt-4.1-mini: $0.40 in, $1.60 out per million; each reply uses 1000 in, 500 out = $0.0012.
    const small = (): ProviderReply => ({ ...ok('r'), usage: { input: 1000, cachedInput: 0, output: 500 } });
    const why: string[] = [];
    const p = provider(small);
    // Earlier invocations spent $0.0030 of the $0.0060 limit.
    const spend = new Spend(0.003, 0.006, (w) => why.push(w));
    const d = door(p, { spend });
    const llm = d.meter(emptyTotals(), signal);
    const ask = (k: number) => llm.complete(req(`question ${k}`, { maxTokens: 500 }));
    await ask(1);
    await ask(2);
    expect(spend.totalUsd).toBeCloseTo(0.0054, 10);
    // The third could bring the total to $0.0066: it is not sent.
    await expect(ask(3)).rejects.toBeInstanceOf(CostLimitStop);
    expect(p.calls).toBe(2);
    expect(why).toHaveLength(1);
    expect(why[0]).toMatch(/cost limit reached: \$0\.0054 spent .*costLimitUsd \$0\.006/);
    expect(spend.totalUsd).toBeLessThanOrEqual(0.006);
  });

  it('batch mode queues misses instead of calling, then serves ingested answers from the cache at half price', async () => {
    const cache = tempCache();
    const p = provider(() => ok('online'));
    const d = door(
      { ...p, batch: { submit: async () => 'b1', poll: async () => ({ status: 'pending', detail: '' }) } },
      { cache, runtime: runtime({ execution: 'batch' }) },
    );
    const err = await d
      .meter(emptyTotals(), signal)
      .complete(req('q'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchPending);
    const [item] = d.takeQueued();
    expect(item?.request.messages[0]?.content).toBe('q');
    d.ingestBatchResult(item?.customId as string, d.materialOf(item?.customId as string) ?? '', ok('from batch'));
    const r = await d.meter(emptyTotals(), signal).complete(req('q'));
    expect(r).toMatchObject({ text: 'from batch', cached: true });
    expect(r.costUsd).toBeCloseTo(1.0, 10);
    expect(p.calls).toBe(0);
  });
});

describe('LlmDoor in batch mode, fit stages', () => {
  it('a meter opened with online: true calls the provider directly (a fit cannot wait for a batch)', async () => {
    const p = provider(() => ok('direct'));
    const d = door(
      { ...p, batch: { submit: async () => 'b', poll: async () => ({ status: 'pending', detail: '' }) } },
      { cache: tempCache(), runtime: runtime({ execution: 'batch' }) },
    );
    const r = await d.meter(emptyTotals(), signal, { online: true }).complete(req('fit call'));
    expect(r.text).toBe('direct');
    expect(d.takeQueued()).toEqual([]);
  });
});

describe('LlmDoor: replies of a sloppy model', () => {
  const schema = {
    type: 'object',
    properties: { like: { type: 'boolean' }, why: { type: 'string' } },
    required: ['like', 'why'],
    additionalProperties: false,
  };

  it.each([
    ['a trailing comma', '{"like": true, "why": "fun",}'],
    ['a comment', '{"like": true, /* sure */ "why": "fun"}'],
    ['single quotes', "{'like': true, 'why': 'fun'}"],
    ['unquoted keys', '{like: true, why: "fun"}'],
    ['brackets left open', '{"like": true, "why": "fun"'],
    ['prose around a trailing comma', 'Sure! {"like": true, "why": "fun",} Hope it helps.'],
  ])('mends %s with jsonrepair, without a repair turn', async (_what, text) => {
    const p = provider(() => ok(text));
    const d = door(p);
    const calls: CallRecord[] = [];
    expect(await d.meter(emptyTotals(), signal, { calls }).json({ ...req('q'), schema })).toEqual({
      like: true,
      why: 'fun',
    });
    expect(p.calls).toBe(1);
    expect(d.replyStats.libraryRepairs).toBe(1);
    expect(calls[0]?.json).toBe('library');
  });

  it('a reply cut at maxTokens is the error kind truncated, naming the fix, with no repair turn', async () => {
    const p = provider(() => ({ ...ok('Let me think step by step about'), finish: 'length' }));
    const err = await door(p)
      .meter(emptyTotals(), signal)
      .json({ ...req('q', { maxTokens: 64 }), schema })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect((err as LlmParseError).kind).toBe('truncated');
    expect((err as Error).message).toMatch(/raise maxTokens \(now 64\)/);
    expect(p.calls).toBe(1);
  });

  it('a reply still invalid after the repair turn is kept marked invalid; later runs meet the same attempt, --retry-errors asks again under attempt 1 (its own key), and a replay follows it', async () => {
    const cache = tempCache();
    let good = false;
    const p = provider(() => ok(good ? '{"like": false, "why": "dull"}' : '{"like": "maybe"}'));
    const ask = (mode: 'follow' | 'retry' | 'fixed', cacheOnly = false) => {
      const calls: CallRecord[] = [];
      const d = door(p, { cache, cacheOnly });
      return d
        .meter(emptyTotals(), signal, { calls, attempts: mode })
        .json({ ...req('q'), schema })
        .then(
          (v) => ({ v, calls }),
          (e: unknown) => ({ v: e, calls }),
        );
    };
    const first = await ask('follow');
    expect(first.v).toBeInstanceOf(LlmParseError);
    expect((first.v as LlmParseError).failure).toMatchObject({ stage: 'call', reply: '{"like": "maybe"}' });
    expect(p.calls).toBe(2);
    const k0 = first.calls[0]?.key as string;
    expect(cache.get(k0)).toMatchObject({ valid: false, failed: true });
    // A plain rerun meets the same failure from the cache: nothing is asked.
    good = true;
    expect((await ask('follow')).v).toBeInstanceOf(LlmParseError);
    expect(p.calls).toBe(2);
    // --retry-errors: attempt 1, a new key, a new answer.
    const retried = await ask('retry');
    expect(retried.v).toEqual({ like: false, why: 'dull' });
    expect(retried.calls[0]?.attempt).toBe(1);
    expect(retried.calls[0]?.key).not.toBe(k0);
    expect(p.calls).toBe(3);
    // A replay (cache only) follows the attempt the retry kept; a fit (fixed) keeps attempt 0.
    expect((await ask('follow', true)).v).toEqual({ like: false, why: 'dull' });
    expect((await ask('fixed')).v).toBeInstanceOf(LlmParseError);
    expect(p.calls).toBe(3);
  });

  it('a failure met in this invocation is not asked again by --retry-errors until the next one', async () => {
    const cache = tempCache();
    const p = provider(() => ok('{"like": "maybe"}'));
    const d = door(p, { cache });
    const llm = d.meter(emptyTotals(), signal, { attempts: 'retry' });
    await llm.json({ ...req('q'), schema }).catch(() => null);
    await llm.json({ ...req('q'), schema }).catch(() => null);
    expect(p.calls).toBe(2);
  });

  it('a refused key stops the run: LlmAuthError naming the variable and the endpoint, not a unit error', async () => {
    const p = {
      ...provider(() => {
        throw new ProviderError('HTTP 401: Incorrect API key', 401);
      }),
      hints: { apiKeyEnv: 'MY_KEY', baseURL: 'http://127.0.0.1:9/v1' },
    };
    const err = await door(p)
      .meter(emptyTotals(), signal)
      .complete(req('q'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmAuthError);
    expect((err as Error).message).toMatch(
      /http:\/\/127\.0\.0\.1:9\/v1 .*refused the credentials \(HTTP 401\).*MY_KEY/,
    );
  });
});
