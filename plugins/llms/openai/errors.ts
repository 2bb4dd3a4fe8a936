import OpenAI from 'openai';
import { ProviderError, retryAfterFromHeaders } from '../../../harness/plugin-api.js';

/** Maps the SDK's errors onto the harness's ProviderError (the retry layer decides from it). */
export function toProviderError(e: unknown): unknown {
  if (e instanceof ProviderError) return e;
  if (e instanceof OpenAI.APIUserAbortError) return e;
  if (e instanceof OpenAI.APIConnectionTimeoutError) return new ProviderError('the request timed out', null, null, 'timeout');
  if (e instanceof OpenAI.APIConnectionError) return new ProviderError(`connection failed: ${e.message}`, null, null, 'connection');
  if (e instanceof OpenAI.APIError) {
    const headers = e.headers;
    return new ProviderError(`HTTP ${e.status ?? '?'}: ${e.message}`, e.status ?? null, headers ? retryAfterFromHeaders((n) => headers.get(n)) : null, e.code ?? null);
  }
  if (e instanceof Error && e.name === 'AbortError') return e;
  // A garbled body (invalid JSON) or a reply without choices: the endpoint misbehaved, try again.
  return new ProviderError(`malformed response: ${(e as Error)?.message ?? String(e)}`, null, null, 'malformed');
}
