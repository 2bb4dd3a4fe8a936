import { canonicalJson, sha256 } from '../util/hash.js';
import type { LlmRequest } from './types.js';

/**
 * What a cached answer depends on: the endpoint's identity (provider, model,
 * base URL, output-changing options) and the request itself, including the
 * sample index. Never secrets, never concurrency or retry settings.
 */
export function cacheKeyMaterial(identity: Readonly<Record<string, unknown>>, r: LlmRequest): string {
  return canonicalJson({
    v: 1,
    endpoint: identity,
    messages: r.messages,
    temperature: r.temperature ?? null,
    maxTokens: r.maxTokens ?? null,
    seed: r.seed ?? null,
    schema: r.schema ?? null,
    schemaName: r.schemaName ?? null,
    sample: r.sample ?? 0,
  });
}

export function cacheKey(material: string): string {
  return sha256(material);
}
