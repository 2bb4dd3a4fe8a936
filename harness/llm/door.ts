import { setMaxListeners } from 'node:events';
import type { ValidateFunction } from 'ajv';
import type { Llm } from '../api/method.js';
import { createReplyAjv, formatAjvError } from '../util/ajv.js';
import { hashJson } from '../util/hash.js';
import { Rng } from '../util/rng.js';
import { BatchPending } from './batch-pending.js';
import { cacheKey, cacheKeyMaterial } from './cache-key.js';
import type { LlmCache } from './cache.js';
import { LlmParseError, UnitError } from './errors.js';
import { Limiter } from './limiter.js';
import { extractJson } from './parse-json.js';
import { costOf, priceOf, type PriceTable } from './prices.js';
import { withRetry } from './retry.js';
import type { LlmRuntime } from './runtime-options.js';
import type { BatchItem, LlmProvider, LlmRequest, LlmResponse, ProviderReply } from './types.js';
import { addUsage, emptyTotals, type UsageTotals } from './usage-meter.js';

export interface DoorOptions {
  readonly runtime: LlmRuntime;
  readonly cache: LlmCache | null;
  /** Every cache miss is an error (a reviewer replaying a shipped cache). */
  readonly cacheOnly: boolean;
  readonly prices: PriceTable;
  readonly seed: number;
  /** Called once when the run's spend reaches the limit. */
  readonly onCostLimit?: (spentUsd: number) => void;
  readonly costLimitUsd?: number | null;
  readonly warn?: (message: string) => void;
}

/** Batch APIs bill at half the online price. */
const BATCH_DISCOUNT = 0.5;

/**
 * The only door to a model: cache → limiter → retry → provider, with usage
 * and cost counted per unit and per run, and structured replies validated
 * (one repair turn). Methods get a metered view of it (`meter`).
 */
export class LlmDoor {
  private readonly ajv = createReplyAjv();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly limiter: Limiter;
  private readonly rng: Rng;
  private readonly inFlight = new Map<string, Promise<LlmResponse>>();
  private warnedNoPrice = false;
  /** Calls that reached the provider and their cost: what the run actually spent. */
  readonly spent: UsageTotals = emptyTotals();
  /** Every call the run made, cached or not (the progress bar shows these). */
  readonly runTotals: UsageTotals = emptyTotals();
  /** Cache keys this run used, for `usersim cache export`. */
  readonly usedKeys = new Set<string>();
  /** Batch mode: requests waiting to be submitted, by cache key. */
  readonly queued = new Map<string, { request: LlmRequest; material: string }>();
  private costLimitHit = false;

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

  /**
   * `online: true` bypasses batch execution: a fit stage makes calls whose
   * answers the next call depends on, so it cannot wait for a batch.
   */
  meter(totals: UsageTotals, signal: AbortSignal, opts: { online?: boolean } = {}): Llm {
    // Every call in flight listens to the run's signal; dozens at once is the design, not a leak.
    setMaxListeners(0, signal);
    const online = opts.online === true;
    return {
      model: this.provider.model,
      mock: this.provider.mock,
      complete: async (request) => {
        const r = await this.call(request, signal, online);
        addUsage(totals, r.usage, r.costUsd, r.cached);
        return r;
      },
      json: <T>(request: LlmRequest & { schema: Record<string, unknown> }) =>
        this.json<T>(request, totals, signal, online),
    };
  }

  keyOf(request: LlmRequest): { key: string; material: string } {
    const material = cacheKeyMaterial(this.provider.identity, request);
    return { key: cacheKey(material), material };
  }

  private async call(request: LlmRequest, signal: AbortSignal, online = false): Promise<LlmResponse> {
    const { key, material } = this.keyOf(request);
    this.usedKeys.add(key);
    const hit = this.opts.cache?.get(key);
    if (hit) {
      const r: LlmResponse = { text: hit.text, usage: hit.usage, costUsd: hit.costUsd, cached: true, latencyMs: 0 };
      addUsage(this.runTotals, r.usage, r.costUsd, true);
      return r;
    }
    if (this.opts.cacheOnly) {
      throw new UnitError(
        'llm',
        `cache miss for request ${key} (${this.provider.provider}/${this.provider.model}) with --cache-only: the cache does not hold this answer; get the cache file the run was made with, or drop --cache-only to call the model`,
      );
    }
    if (this.opts.runtime.execution === 'batch' && !online) {
      const failed = this.batchFailures.get(key);
      if (failed) throw new UnitError('llm', failed);
      this.queued.set(key, { request, material });
      throw new BatchPending(key);
    }
    const shared = this.inFlight.get(key);
    if (shared) return shared;
    const p = this.fetch(key, material, request, signal).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private async fetch(key: string, material: string, request: LlmRequest, signal: AbortSignal): Promise<LlmResponse> {
    const started = performance.now();
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
    return this.store(key, material, reply, 1, performance.now() - started);
  }

  /** Prices a reply, stores it in the cache and counts it as spent. */
  private store(key: string, material: string, reply: ProviderReply, discount: number, latencyMs: number): LlmResponse {
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
    });
    addUsage(this.spent, reply.usage, costUsd, false);
    addUsage(this.runTotals, reply.usage, costUsd, false);
    const limit = this.opts.costLimitUsd;
    if (limit !== null && limit !== undefined && !this.costLimitHit && this.spent.costUsd >= limit) {
      this.costLimitHit = true;
      this.opts.onCostLimit?.(this.spent.costUsd);
    }
    return { text: reply.text, usage: reply.usage, costUsd, cached: false, latencyMs };
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
    this.store(key, material, reply, BATCH_DISCOUNT, 0);
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

  private check(text: string, validate: ValidateFunction): { ok: true; value: unknown } | { ok: false; error: string } {
    const parsed = extractJson(text);
    if (!parsed.ok) return parsed;
    if (validate(parsed.value)) return parsed;
    return {
      ok: false,
      error: `the JSON does not match the schema: ${(validate.errors ?? []).map(formatAjvError).join('; ')}`,
    };
  }

  private async json<T>(
    request: LlmRequest & { schema: Record<string, unknown> },
    totals: UsageTotals,
    signal: AbortSignal,
    online = false,
  ): Promise<T> {
    const validate = this.validator(request.schema);
    const first = await this.call(request, signal, online);
    addUsage(totals, first.usage, first.costUsd, first.cached);
    const r1 = this.check(first.text, validate);
    if (r1.ok) return r1.value as T;
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
    const second = await this.call(repair, signal, online);
    addUsage(totals, second.usage, second.costUsd, second.cached);
    const r2 = this.check(second.text, validate);
    if (r2.ok) return r2.value as T;
    throw new LlmParseError(`structured reply invalid after one repair turn: ${r2.error}`, second.text);
  }
}
