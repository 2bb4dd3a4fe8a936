import { setMaxListeners } from 'node:events';
import type { ValidateFunction } from 'ajv';
import type { Llm } from '../api/method.js';
import { createReplyAjv, formatAjvError } from '../util/ajv.js';
import { hashJson } from '../util/hash.js';
import { Rng } from '../util/rng.js';
import { BatchPending } from './batch-pending.js';
import { type CallRecord, callRecordOf, stageOf } from './call-record.js';
import { noteCall } from './call-trail.js';
import { cacheKey, cacheKeyMaterial } from './cache-key.js';
import type { LlmCache } from './cache.js';
import { LlmParseError, truncatedReply, UnitError } from './errors.js';
import { Limiter } from './limiter.js';
import { parseReply } from './parse-json.js';
import { costOf, priceOf, type PriceTable, worstCostUsd } from './prices.js';
import { withRetry } from './retry.js';
import type { LlmRuntime } from './runtime-options.js';
import { Spend } from './spend.js';
import type { BatchItem, LlmProvider, LlmRequest, LlmResponse, ProviderReply } from './types.js';
import { addUsage, emptyTotals, type UsageTotals } from './usage-meter.js';

export interface DoorOptions {
  readonly runtime: LlmRuntime;
  readonly cache: LlmCache | null;
  /** Every cache miss is an error (a reviewer replaying a shipped cache). */
  readonly cacheOnly: boolean;
  readonly prices: PriceTable;
  readonly seed: number;
  /** The run's money, shared by its doors (the cost limit applies to their sum, over every invocation). */
  readonly spend?: Spend;
  readonly warn?: (message: string) => void;
}

/** Batch APIs bill at half the online price. */
const BATCH_DISCOUNT = 0.5;

/**
 * How a meter treats a structured request whose earlier attempt ended in an
 * error: `fixed` always asks attempt 0 (a fit: its artifact must not change
 * under units already run); `follow` uses the latest attempt the cache holds
 * (so a replay reproduces the attempts the original run kept); `retry` also
 * asks the model again, under the next attempt number, when the latest one
 * failed (`--retry-errors`).
 */
export type AttemptMode = 'fixed' | 'follow' | 'retry';

export interface MeterOptions {
  /** Bypass batch execution: a fit's calls depend on each other's answers, so it cannot wait for a batch. */
  readonly online?: boolean;
  /** Every call made through the meter is appended here (the unit's call log). */
  readonly calls?: CallRecord[];
  /** Prefix of the calls' stage names ('fit', 'judge'); the request's own stage (or schema name) follows. */
  readonly stage?: string;
  readonly attempts?: AttemptMode;
}

/** Why the run stopped at a call it did not send (the cost limit): the runner reads the stop reason instead. */
export class CostLimitStop extends Error {
  constructor() {
    super('the cost limit was reached: this call was not sent');
    this.name = 'CostLimitStop';
  }
}

interface Sent extends LlmResponse {
  readonly key: string;
}

/**
 * The only door to a model: cache → limiter → retry → provider, with usage
 * and cost counted per unit and per run, and structured replies parsed
 * (mended by jsonrepair when needed), validated and given one repair turn.
 * A reply still invalid after it is kept in the cache marked invalid, and the
 * call's error carries it. Methods get a metered view of it (`meter`).
 */
export class LlmDoor {
  private readonly ajv = createReplyAjv();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly limiter: Limiter;
  private readonly rng: Rng;
  private readonly inFlight = new Map<string, Promise<Sent>>();
  private readonly spend: Spend;
  private warnedNoPrice = false;
  /** Calls that reached the provider and their cost: what this invocation actually spent through this door. */
  readonly spent: UsageTotals = emptyTotals();
  /** Every call the run made, cached or not (the progress bar shows these). */
  readonly runTotals: UsageTotals = emptyTotals();
  /** Structured calls: repair turns asked, replies mended by the library, calls that ended in an error. */
  readonly replyStats = { repairs: 0, libraryRepairs: 0, failed: 0 };
  /** Cache keys this run used, for `usersim cache export`. */
  readonly usedKeys = new Set<string>();
  /** Requests whose structured call failed in this invocation: `retry` does not ask them again until the next one. */
  private readonly failedNow = new Set<string>();
  /** Batch mode: requests waiting to be submitted, by cache key. */
  readonly queued = new Map<string, { request: LlmRequest; material: string }>();

  constructor(
    readonly provider: LlmProvider,
    private readonly opts: DoorOptions,
  ) {
    const r = opts.runtime;
    this.limiter = new Limiter({
      maxConcurrency: r.maxConcurrency,
      requestsPerMinute: r.requestsPerMinute,
      tokensPerMinute: r.tokensPerMinute,
      adaptive: r.adaptiveConcurrency,
    });
    this.spend = opts.spend ?? new Spend(0, null);
    this.rng = Rng.derive(opts.seed, 'llm-retry-jitter', provider.provider, provider.model);
    if (r.execution === 'batch' && !provider.batch)
      throw new Error(`${provider.provider} has no batch API: set execution: online for this LLM`);
    if (r.execution === 'batch' && !opts.cache)
      throw new Error(
        'execution: batch needs the LLM cache (batch results flow into it): set cache.mode to read-write',
      );
  }

  get runtimePollMs(): number {
    return this.opts.runtime.batchPollMs;
  }

  /** Batch items that failed: their units get an error instead of being queued again. */
  readonly batchFailures = new Map<string, string>();

  get maxInFlight(): number {
    return this.limiter.maxInFlight;
  }

  /** A metered view of the door: every call counts against `totals` (a unit's or a fit's). */
  meter(totals: UsageTotals, signal: AbortSignal, opts: MeterOptions = {}): Llm {
    // Every call in flight listens to the run's signal; dozens at once is the design, not a leak.
    setMaxListeners(0, signal);
    const m = { ...opts, online: opts.online === true, attempts: opts.attempts ?? 'follow' };
    return {
      model: this.provider.model,
      mock: this.provider.mock,
      complete: async (request) => {
        const r = await this.call(request, 0, signal, m.online);
        addUsage(totals, r.usage, r.costUsd, r.cached);
        m.calls?.push(callRecordOf(request, r, 0, m.stage));
        const { key: _key, ...response } = r;
        return response;
      },
      json: <T>(request: LlmRequest & { schema: Record<string, unknown> }) => this.json<T>(request, totals, signal, m),
    };
  }

  keyOf(request: LlmRequest, attempt = 0): { key: string; material: string } {
    const material = cacheKeyMaterial(this.provider.identity, request, attempt);
    return { key: cacheKey(material), material };
  }

  /** What the provider is sent for an attempt: a later attempt also moves the seed, so a seeded endpoint can answer differently. */
  private forAttempt(request: LlmRequest, attempt: number): LlmRequest {
    if (attempt === 0 || request.seed === undefined) return request;
    return { ...request, seed: request.seed + attempt };
  }

  private async call(request: LlmRequest, attempt: number, signal: AbortSignal, online: boolean): Promise<Sent> {
    const sent = this.forAttempt(request, attempt);
    const { key, material } = this.keyOf(sent, attempt);
    this.usedKeys.add(key);
    const hit = this.opts.cache?.get(key);
    let r: Sent;
    if (hit) {
      r = {
        key,
        text: hit.text,
        usage: hit.usage,
        costUsd: hit.costUsd,
        cached: true,
        latencyMs: 0,
        finish: hit.finish ?? null,
      };
      addUsage(this.runTotals, r.usage, r.costUsd, true);
    } else {
      if (this.opts.cacheOnly) {
        throw new UnitError(
          'llm',
          `cache miss for request ${key} (${this.provider.provider}/${this.provider.model}) with --cache-only: the cache does not hold this answer; get the cache file the run was made with, or drop --cache-only to call the model`,
        );
      }
      if (this.opts.runtime.execution === 'batch' && !online) {
        const failed = this.batchFailures.get(key);
        if (failed) throw new UnitError('llm', failed);
        this.queued.set(key, { request: sent, material });
        throw new BatchPending(key);
      }
      const shared = this.inFlight.get(key);
      if (shared) r = await shared;
      else {
        const p = this.fetch(key, material, sent, signal).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, p);
        r = await p;
      }
    }
    noteCall(key, r.usage, r.costUsd, r.cached);
    return r;
  }

  private async fetch(key: string, material: string, request: LlmRequest, signal: AbortSignal): Promise<Sent> {
    const started = performance.now();
    const worst = worstCostUsd(this.opts.prices, this.provider.model, request);
    if (!this.spend.reserve(worst)) throw new CostLimitStop();
    let settled = false;
    try {
      const estimate =
        Math.ceil(request.messages.reduce((s, m) => s + m.content.length, 0) / 4) + (request.maxTokens ?? 0);
      const release = await this.limiter.acquire(estimate, signal);
      let reply: ProviderReply;
      try {
        reply = await withRetry((s) => this.provider.complete(request, s), {
          policy: {
            maxAttempts: this.opts.runtime.maxAttempts,
            baseMs: this.opts.runtime.backoffBaseMs,
            capMs: this.opts.runtime.backoffCapMs,
          },
          timeoutMs: this.opts.runtime.timeoutMs,
          signal,
          rng: this.rng,
          hints: { ...this.provider.hints, model: this.provider.model },
          hooks: { onRateLimit: () => this.limiter.onRateLimit(), onSuccess: () => this.limiter.onSuccess() },
        });
      } finally {
        release();
      }
      const r = this.store(key, material, reply, 1, performance.now() - started);
      this.spend.settle(worst, r.costUsd);
      settled = true;
      return r;
    } finally {
      if (!settled) this.spend.settle(worst, 0);
    }
  }

  /** Prices a reply, stores it in the cache and counts it as spent. */
  private store(key: string, material: string, reply: ProviderReply, discount: number, latencyMs: number): Sent {
    const price = priceOf(this.opts.prices, reply.model) ?? priceOf(this.opts.prices, this.provider.model);
    if (!price && !this.warnedNoPrice && !this.provider.mock) {
      this.warnedNoPrice = true;
      this.opts.warn?.(`no price for model ${reply.model}: its cost counts as $0 (add it under prices: in the config)`);
    }
    const costUsd = costOf(price, reply.usage, discount);
    this.opts.cache?.put({
      key,
      provider: this.provider.provider,
      model: this.provider.model,
      request: material,
      text: reply.text,
      usage: reply.usage,
      costUsd,
      modelVersion: reply.model,
      createdAt: new Date().toISOString(),
      finish: reply.finish ?? null,
    });
    addUsage(this.spent, reply.usage, costUsd, false);
    addUsage(this.runTotals, reply.usage, costUsd, false);
    return {
      key,
      text: reply.text,
      usage: reply.usage,
      costUsd,
      cached: false,
      latencyMs,
      finish: reply.finish ?? null,
    };
  }

  /** Batch mode: the queued requests, removed from the queue. */
  takeQueued(): BatchItem[] {
    const items = [...this.queued]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([customId, q]) => ({ customId, request: q.request }));
    return items;
  }

  materialOf(key: string): string | undefined {
    return this.queued.get(key)?.material;
  }

  clearQueued(keys: Iterable<string>): void {
    for (const k of keys) this.queued.delete(k);
  }

  /** Stores one batch result; a failed item is not cached (its unit will be queued again). */
  ingestBatchResult(key: string, material: string, reply: ProviderReply): void {
    const r = this.store(key, material, reply, BATCH_DISCOUNT, 0);
    this.spend.settle(0, r.costUsd);
  }

  private validator(schema: Record<string, unknown>): ValidateFunction {
    const key = hashJson(schema);
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(schema);
      this.validators.set(key, v);
    }
    return v;
  }

  /**
   * The attempt a structured request is asked under: 0, unless an earlier
   * attempt of it ended in an error (marked in the cache). Then `follow` takes
   * the latest attempt the cache holds and `retry` asks for the next one.
   */
  private attemptFor(request: LlmRequest, mode: AttemptMode): number {
    const cache = this.opts.cache;
    if (mode === 'fixed' || !cache) return 0;
    for (let a = 0; ; a++) {
      const key = this.keyOf(this.forAttempt(request, a), a).key;
      const e = cache.get(key);
      if (!e?.failed) return a;
      if (cache.get(this.keyOf(this.forAttempt(request, a + 1), a + 1).key)) continue;
      // A failure of this invocation is kept as it is: the units that met it recorded it, and a replay must meet it too.
      return mode === 'retry' && !this.failedNow.has(key) ? a + 1 : a;
    }
  }

  private async json<T>(
    request: LlmRequest & { schema: Record<string, unknown> },
    totals: UsageTotals,
    signal: AbortSignal,
    m: MeterOptions & { online: boolean; attempts: AttemptMode },
  ): Promise<T> {
    const validate = this.validator(request.schema);
    const accept = (value: unknown): string | null =>
      validate(value) ? null : (validate.errors ?? []).map(formatAjvError).join('; ');
    const cache = this.opts.cache;
    const stage = stageOf(request, m.stage);
    const attempt = this.attemptFor(request, m.attempts);

    const first = await this.call(request, attempt, signal, m.online);
    addUsage(totals, first.usage, first.costUsd, first.cached);
    const r1 = parseReply(first.text, accept);
    if (r1.ok) {
      if (r1.recovery === 'library') this.replyStats.libraryRepairs++;
      cache?.mark(first.key, { valid: true });
      m.calls?.push(callRecordOf(request, first, attempt, m.stage, { json: r1.recovery }));
      return r1.value as T;
    }
    cache?.mark(first.key, { valid: false, invalidReason: r1.error });
    m.calls?.push(callRecordOf(request, first, attempt, m.stage, { json: 'invalid', invalid: r1.error }));
    if (first.finish === 'length') {
      // Asking again would be cut at the same limit: only a larger maxTokens helps.
      this.markFailed(first.key);
      throw truncatedReply(stage, request, first.text, r1.error, first.key);
    }

    this.replyStats.repairs++;
    const repair: LlmRequest = {
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: first.text },
        {
          role: 'user',
          content: `Your reply could not be used: ${r1.error}. Reply again with only a JSON value that satisfies the schema, and nothing else.`,
        },
      ],
    };
    const second = await this.call(repair, attempt, signal, m.online);
    addUsage(totals, second.usage, second.costUsd, second.cached);
    const r2 = parseReply(second.text, accept);
    if (r2.ok) {
      if (r2.recovery === 'library') this.replyStats.libraryRepairs++;
      cache?.mark(second.key, { valid: true });
      m.calls?.push(callRecordOf(repair, second, attempt, m.stage, { repair: true, json: r2.recovery }));
      return r2.value as T;
    }
    cache?.mark(second.key, { valid: false, invalidReason: r2.error });
    this.markFailed(first.key);
    m.calls?.push(callRecordOf(repair, second, attempt, m.stage, { repair: true, json: 'invalid', invalid: r2.error }));
    if (second.finish === 'length') throw truncatedReply(stage, request, second.text, r2.error, second.key);
    throw new LlmParseError(`${stage}: structured reply invalid after one repair turn: ${r2.error}`, second.text, {
      stage,
      reply: second.text,
      validation: r2.error,
      key: second.key,
    });
  }

  private markFailed(key: string): void {
    this.replyStats.failed++;
    this.failedNow.add(key);
    this.opts.cache?.mark(key, { failed: true });
  }
}
