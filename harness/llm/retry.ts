import type { Rng } from '../util/rng.js';
import { LlmAuthError, UnitError } from './errors.js';
import { ProviderError } from './provider-error.js';

export type RetryDecision =
  | { readonly kind: 'rate-limit'; readonly retryAfterMs: number | null }
  | { readonly kind: 'transient'; readonly retryAfterMs: number | null }
  | { readonly kind: 'fatal'; readonly fix: string };

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly capMs: number;
}

/** 429 → rate limit; 408, 409, 5xx, 529, timeouts, resets, garbled bodies → transient; other 4xx → fatal, with what to fix. */
export function classify(
  e: unknown,
  hints: { apiKeyEnv?: string; model?: string; baseURL?: string } = {},
): RetryDecision {
  if (!(e instanceof ProviderError))
    return { kind: 'fatal', fix: `unexpected error: ${(e as Error)?.message ?? String(e)}` };
  const s = e.status;
  if (s === 429) return { kind: 'rate-limit', retryAfterMs: e.retryAfterMs };
  if (s === null || s === 408 || s === 409 || s >= 500) return { kind: 'transient', retryAfterMs: e.retryAfterMs };
  switch (s) {
    case 401:
      if (e.code === 'missing-key') return { kind: 'fatal', fix: 'set the variable and run again' };
      return {
        kind: 'fatal',
        fix: `the API key was refused: check that ${hints.apiKeyEnv ?? 'the API key variable'} holds a valid key for ${hints.baseURL ?? 'this endpoint'}`,
      };
    case 403:
      return {
        kind: 'fatal',
        fix: `access denied: the key in ${hints.apiKeyEnv ?? 'the API key variable'} lacks permission for model ${hints.model ?? '?'}`,
      };
    case 404:
      return {
        kind: 'fatal',
        fix: `not found: check the model name (${hints.model ?? '?'}) and baseURL (${hints.baseURL ?? '?'})`,
      };
    case 400:
    case 422:
      return {
        kind: 'fatal',
        fix: 'the endpoint rejected the request: check the model supports the options used (e.g. structured output mode)',
      };
    default:
      return { kind: 'fatal', fix: `HTTP ${s}` };
  }
}

/** A refused or missing key: what stops the run, naming the variable and the endpoint. */
export function authError(
  e: ProviderError,
  fix: string,
  hints: { apiKeyEnv?: string; model?: string; baseURL?: string },
): LlmAuthError {
  const env = hints.apiKeyEnv ?? null;
  const endpoint = hints.baseURL ?? null;
  const where = `${endpoint ?? 'the endpoint'}${hints.model ? ` (model ${hints.model})` : ''}`;
  const message =
    e.code === 'missing-key'
      ? `${env ?? 'the API key variable'} is not set, and ${where} needs it: export it (a local server such as vLLM or Ollama accepts any value, e.g. ${env ?? 'the variable'}=local)`
      : `${where} refused the credentials (HTTP ${e.status}): ${fix}`;
  return new LlmAuthError(message, env, endpoint);
}

/** Exponential backoff with full jitter, capped; Retry-After wins when the endpoint gives one. */
export function backoffMs(attempt: number, decision: RetryDecision, policy: RetryPolicy, rng: Rng): number {
  if (decision.kind !== 'fatal' && decision.retryAfterMs !== null) return decision.retryAfterMs;
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return exp / 2 + rng.next() * (exp / 2);
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryHooks {
  onRateLimit?(): void;
  onSuccess?(): void;
  onRetry?(attempt: number, decision: RetryDecision, waitMs: number, error: ProviderError): void;
}

/**
 * Runs `attempt` until it succeeds, a fatal error, or maxAttempts. Each
 * attempt gets its own timeout signal, linked to the run's signal.
 */
export async function withRetry<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  opts: {
    policy: RetryPolicy;
    timeoutMs: number;
    signal: AbortSignal;
    rng: Rng;
    hints?: Parameters<typeof classify>[1];
    hooks?: RetryHooks;
  },
): Promise<T> {
  let last: ProviderError | null = null;
  for (let n = 1; n <= opts.policy.maxAttempts; n++) {
    // One controller per attempt, aborted by the run's signal or the timer
    // (AbortSignal.any and AbortSignal.timeout cost several times more per call on Node 20).
    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort(new Error('timeout'));
    }, opts.timeoutMs);
    const onStop = () => ctl.abort(opts.signal.reason);
    opts.signal.addEventListener('abort', onStop, { once: true });
    try {
      const out = await attempt(ctl.signal);
      opts.hooks?.onSuccess?.();
      return out;
    } catch (e) {
      if (opts.signal.aborted || e instanceof UnitError) throw e;
      const err = timedOut ? new ProviderError(`no answer within ${opts.timeoutMs} ms`, null, null, 'timeout') : e;
      const decision = classify(err, opts.hints);
      if (decision.kind === 'fatal') {
        const status = err instanceof ProviderError ? err.status : null;
        if (status === 401 || status === 403) throw authError(err as ProviderError, decision.fix, opts.hints ?? {});
        throw new UnitError('llm', `${(err as Error).message} — ${decision.fix}`, { cause: err });
      }
      last = err as ProviderError;
      if (decision.kind === 'rate-limit') opts.hooks?.onRateLimit?.();
      if (n === opts.policy.maxAttempts) break;
      clearTimeout(timer);
      const wait = backoffMs(n, decision, opts.policy, opts.rng);
      opts.hooks?.onRetry?.(n, decision, wait, last);
      await sleep(wait, opts.signal);
    } finally {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onStop);
    }
  }
  throw new UnitError('llm', `gave up after ${opts.policy.maxAttempts} attempts: ${last?.message ?? 'unknown error'}`, {
    cause: last,
  });
}
