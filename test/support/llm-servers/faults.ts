/**
 * Fault injection for the fake LLM servers.
 *
 * A fault is chosen per *eligible* request (by default: only model calls, i.e.
 * chat completions / messages; see `Faults.scope`). The choice comes from a
 * seeded PRNG, so a test that sends its requests one after another sees the
 * same faults on every run. With concurrent requests the *sequence* of faults
 * is still fixed, but which request gets which depends on arrival order.
 */

/** Every kind of fault the servers can inject, in the order probabilities are summed. */
export const FAULT_KINDS = [
  /** 429 with `Retry-After` (and `retry-after-ms` on OpenAI). */
  'rateLimit',
  /** 429 without any retry hint, so the client must pick its own back-off. */
  'rateLimitNoRetryAfter',
  /** 500 in the provider's error shape. */
  'serverError',
  /** 503 in the provider's error shape. */
  'unavailable',
  /** Anthropic: 529 overloaded_error. OpenAI has no 529, so it answers 503 "overloaded". */
  'overloaded',
  /** Read the request, then never answer: only the client's own timeout / AbortSignal ends it. */
  'timeout',
  /** Read the request, then destroy the socket without a single response byte. */
  'reset',
  /** Status 200 and a JSON content-type, but a truncated body (for streams: a truncated SSE data line). */
  'malformedJson',
  /** A valid envelope whose content violates the requested schema (or is not JSON at all). */
  'schemaInvalid',
  /** A correct reply delivered in pieces with `slowStreamDelayMs` between them (SSE events, or body chunks). */
  'slowStream',
  /** 400 invalid_request_error: the request is refused as malformed (not worth a retry). Last, so adding it moved no other kind's draws. */
  'badRequest',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults that are answered with an HTTP error status before any content is made. */
export const STATUS_FAULTS: ReadonlySet<FaultKind> = new Set([
  'rateLimit',
  'rateLimitNoRetryAfter',
  'serverError',
  'unavailable',
  'overloaded',
  'badRequest',
]);

export type FaultProbabilities = { readonly [K in FaultKind]?: number };

export interface Faults extends FaultProbabilities {
  /**
   * Deterministic overrides that run before the probabilities: eligible request
   * number i (0-based, counted since start/reset/setFaults) gets `script[i]`;
   * `'none'` forces a clean answer. Once the script is used up, the
   * probabilities apply. Build one with `times('rateLimit', 2)`.
   */
  readonly script?: readonly (FaultKind | 'none')[];
  /**
   * Value of `Retry-After` for `rateLimit`, in seconds. Default 1 (the real
   * APIs send whole seconds). Tests that let the SDK retry should set it small
   * (0.05): both SDKs parseFloat the header. Note the Anthropic SDK ignores 0
   * and falls back to its own exponential back-off (>= ~375 ms).
   */
  readonly retryAfterSeconds?: number;
  /** OpenAI only: value of `retry-after-ms`. Default `retryAfterSeconds * 1000`. The SDKs prefer it over `Retry-After`. */
  readonly retryAfterMs?: number;
  /** Pause between pieces for `slowStream`. Default 100 ms. */
  readonly slowStreamDelayMs?: number;
  /** 'inference' (default): only model calls can fail. 'all': files, batches, fine-tuning and models too. */
  readonly scope?: 'inference' | 'all';
}

/** `times('rateLimit', 2)` → `['rateLimit', 'rateLimit']`, for `Faults.script`. */
export function times(kind: FaultKind | 'none', n: number): (FaultKind | 'none')[] {
  return Array.from({ length: n }, () => kind);
}

/** mulberry32: tiny, fast, good enough for test randomness, and identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPTION_KEYS: ReadonlySet<string> = new Set([
  'script',
  'retryAfterSeconds',
  'retryAfterMs',
  'slowStreamDelayMs',
  'scope',
]);

/**
 * Rejects typos and impossible values up front: a misspelt key (`ratelimit`)
 * would otherwise silently inject nothing and the test would pass for the
 * wrong reason.
 */
export function validateFaults(f: Faults): void {
  const kinds: ReadonlySet<string> = new Set(FAULT_KINDS);
  let sum = 0;
  for (const [key, value] of Object.entries(f)) {
    if (value === undefined) continue;
    if (kinds.has(key)) {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1))
        throw new RangeError(`faults.${key} must be a probability in [0, 1], got ${String(value)}`);
      sum += value;
    } else if (!OPTION_KEYS.has(key)) {
      throw new TypeError(
        `unknown fault option "${key}" (kinds: ${FAULT_KINDS.join(', ')}; options: ${[...OPTION_KEYS].join(', ')})`,
      );
    }
  }
  if (sum > 1 + 1e-9) throw new RangeError(`fault probabilities add up to ${sum}, more than 1`);
  for (const k of f.script ?? []) {
    if (k !== 'none' && !kinds.has(k)) throw new TypeError(`faults.script: unknown fault "${k}"`);
  }
  for (const key of ['retryAfterSeconds', 'retryAfterMs', 'slowStreamDelayMs'] as const) {
    const v = f[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && Number.isFinite(v)))
      throw new RangeError(`faults.${key} must be a finite number >= 0`);
  }
  if (f.scope !== undefined && f.scope !== 'inference' && f.scope !== 'all')
    throw new TypeError(`faults.scope must be 'inference' or 'all'`);
}

/** The per-server fault state: the options, the script position and the PRNG. */
export class FaultPlan {
  private rng: () => number;
  private position = 0;
  private faults: Faults;

  constructor(
    faults: Faults | undefined,
    private readonly seed: number,
  ) {
    this.faults = faults ?? {};
    validateFaults(this.faults);
    this.rng = mulberry32(seed);
  }

  get options(): Faults {
    return this.faults;
  }

  /** Replace the faults and start over (script position 0, PRNG re-seeded). */
  set(faults: Faults | undefined): void {
    const next = faults ?? {};
    validateFaults(next);
    this.faults = next;
    this.restart();
  }

  restart(): void {
    this.position = 0;
    this.rng = mulberry32(this.seed);
  }

  appliesTo(inference: boolean): boolean {
    return inference || this.faults.scope === 'all';
  }

  /** The fault for the next eligible request, or null for a clean answer. */
  next(): FaultKind | null {
    const script = this.faults.script;
    const i = this.position++;
    if (script && i < script.length) {
      const k = script[i]!;
      return k === 'none' ? null : k;
    }
    // One draw per request, whatever the probabilities, so that changing one
    // probability does not shift the random sequence of later requests.
    const r = this.rng();
    let acc = 0;
    for (const kind of FAULT_KINDS) {
      const p = this.faults[kind];
      if (!p) continue;
      acc += p;
      if (r < acc) return kind;
    }
    return null;
  }

  get retryAfterSeconds(): number {
    return this.faults.retryAfterSeconds ?? 1;
  }

  get retryAfterMs(): number {
    return this.faults.retryAfterMs ?? Math.round(this.retryAfterSeconds * 1000);
  }

  get slowStreamDelayMs(): number {
    return this.faults.slowStreamDelayMs ?? 100;
  }
}
