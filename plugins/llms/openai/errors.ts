import OpenAI from 'openai';
import { sdkErrorToProviderError } from '../../../harness/plugin-api.js';

/** Maps the SDK's errors onto the harness's ProviderError (the retry layer decides from it). */
export function toProviderError(e: unknown): unknown {
  return sdkErrorToProviderError(e, OpenAI);
}
