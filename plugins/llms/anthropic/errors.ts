import Anthropic from '@anthropic-ai/sdk';
import { ProviderError, retryAfterFromHeaders } from '../../../harness/plugin-api.js';

/** Maps the SDK's errors onto the harness's ProviderError (529 overloaded counts as transient, like 5xx). */
export function toProviderError(e: unknown): unknown {
  if (e instanceof ProviderError) return e;
  if (e instanceof Anthropic.APIUserAbortError) return e;
  if (e instanceof Anthropic.APIConnectionTimeoutError) return new ProviderError('the request timed out', null, null, 'timeout');
  if (e instanceof Anthropic.APIConnectionError) return new ProviderError(`connection failed: ${e.message}`, null, null, 'connection');
  if (e instanceof Anthropic.APIError) {
    const headers = e.headers;
    return new ProviderError(`HTTP ${e.status ?? '?'}: ${e.message}`, e.status ?? null, headers ? retryAfterFromHeaders((n) => headers.get(n)) : null, null);
  }
  if (e instanceof Error && e.name === 'AbortError') return e;
  return new ProviderError(`malformed response: ${(e as Error)?.message ?? String(e)}`, null, null, 'malformed');
}
