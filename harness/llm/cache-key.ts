import { canonicalJson, sha256 } from '../util/hash.js';
import type { LlmRequest } from './types.js';

/**
 * What a cached answer depends on: the endpoint's identity (provider, model,
 * base URL, output-changing options) and the request itself, including the
 * sample index. Never secrets, never concurrency or retry settings.
 * `attempt` (> 0 when `--retry-errors` asks again after a failed structured
 * call) enters the sample index, so each attempt has its own deterministic key
 * while attempt 0 keeps the key it always had.
 */
export function cacheKeyMaterial(identity: Readonly<Record<string, unknown>>, r: LlmRequest, attempt = 0): string {
  return canonicalJson({
    v: 1,
    endpoint: identity,
    messages: r.messages,
    temperature: r.temperature ?? null,
    maxTokens: r.maxTokens ?? null,
    seed: r.seed ?? null,
    schema: r.schema ?? null,
    schemaName: r.schemaName ?? null,
    sample: attempt > 0 ? `${r.sample ?? 0}/attempt-${attempt}` : (r.sample ?? 0),
  });
}

export function cacheKey(material: string): string {
  return sha256(material);
}
