import { ProviderError, retryAfterFromHeaders } from './provider-error.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes both official SDKs (openai, @anthropic-ai/sdk) define. */
export interface SdkErrorClasses {
  readonly APIUserAbortError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIError: ErrorClass;
}

/**
 * Maps an SDK's errors onto the harness's ProviderError, which the retry layer
 * decides from. Aborts pass through unchanged; anything unrecognised (a garbled
 * body, a reply without content) counts as a malformed response, worth a retry.
 */
export function sdkErrorToProviderError(e: unknown, sdk: SdkErrorClasses): unknown {
  if (e instanceof ProviderError || e instanceof sdk.APIUserAbortError) return e;
  if (e instanceof sdk.APIConnectionTimeoutError)
    return new ProviderError('the request timed out', null, null, 'timeout');
  if (e instanceof sdk.APIConnectionError)
    return new ProviderError(`connection failed: ${e.message}`, null, null, 'connection');
  if (e instanceof sdk.APIError) {
    const x = e as Error & { status?: number; headers?: Headers; code?: string | null };
    const headers = x.headers;
    return new ProviderError(
      `HTTP ${x.status ?? '?'}: ${x.message}`,
      x.status ?? null,
      headers ? retryAfterFromHeaders((n) => headers.get(n)) : null,
      typeof x.code === 'string' ? x.code : null,
    );
  }
  if (e instanceof Error && e.name === 'AbortError') return e;
  return new ProviderError(`malformed response: ${(e as Error)?.message ?? String(e)}`, null, null, 'malformed');
}
