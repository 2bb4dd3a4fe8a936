import Anthropic from '@anthropic-ai/sdk';
import { sdkErrorToProviderError } from '../../../harness/plugin-api.js';

/** Maps the SDK's errors onto the harness's ProviderError (529 overloaded counts as transient, like 5xx). */
export function toProviderError(e: unknown): unknown {
  return sdkErrorToProviderError(e, Anthropic);
}
