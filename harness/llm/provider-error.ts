import { redact } from '../util/secrets.js';

/**
 * What providers throw: the HTTP status (if any) and what the endpoint said
 * about when to retry. The retry layer decides from this alone.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** From Retry-After / retry-after-ms, when the endpoint sent one. */
    readonly retryAfterMs: number | null = null,
    /** 'timeout' | 'connection' | 'malformed' | provider error code. */
    readonly code: string | null = null,
  ) {
    // The message quotes the endpoint's reply, and some endpoints echo the key they were sent.
    super(redact(message));
    this.name = 'ProviderError';
  }
}

/** Reads Retry-After (seconds or HTTP date) and retry-after-ms from response headers. */
export function retryAfterFromHeaders(get: (name: string) => string | null | undefined): number | null {
  const ms = get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = get('retry-after');
  if (!ra) return null;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const when = Date.parse(ra);
  return Number.isFinite(when) ? Math.max(0, when - Date.now()) : null;
}
