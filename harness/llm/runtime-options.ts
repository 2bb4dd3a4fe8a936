import { Type, type Static } from '@sinclair/typebox';
import type { OptionIssue } from '../api/plugin.js';

/**
 * Options every LLM entry accepts besides its plugin's own: how calls are
 * made, never what they return, so none of them enters a cache key.
 */
export const LlmRuntimeOptions = Type.Object({
  maxConcurrency: Type.Integer({
    minimum: 1,
    maximum: 4096,
    default: 16,
    description: 'Requests in flight at once to this provider + model.',
  }),
  requestsPerMinute: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    default: null,
    description: 'Request rate limit; null: none.',
  }),
  tokensPerMinute: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    default: null,
    description: 'Token rate limit (prompt estimate + maxTokens); null: none.',
  }),
  adaptiveConcurrency: Type.Boolean({
    default: false,
    description: 'Halve concurrency on a 429, grow it back by one per 20 successes.',
  }),
  timeoutMs: Type.Integer({ minimum: 100, default: 120_000, description: 'Per-call timeout (aborts the request).' }),
  maxAttempts: Type.Integer({
    minimum: 1,
    maximum: 50,
    default: 6,
    description: 'Attempts per call, the first included.',
  }),
  backoffBaseMs: Type.Integer({
    minimum: 0,
    default: 500,
    description: 'First retry delay before jitter; doubles each attempt.',
  }),
  backoffCapMs: Type.Integer({ minimum: 0, default: 30_000, description: 'Longest retry delay.' }),
  execution: Type.Union([Type.Literal('online'), Type.Literal('batch')], {
    default: 'online',
    description:
      "batch: send each stage's pending requests to the provider's batch API (half price), poll, resume by id.",
  }),
  batchPollMs: Type.Integer({ minimum: 10, default: 30_000, description: 'Batch status polling interval.' }),
});

export type LlmRuntime = Static<typeof LlmRuntimeOptions>;

/** Runtime options that contradict each other (the schema checks each alone). */
export function runtimeIssues(o: LlmRuntime): OptionIssue[] {
  const issues: OptionIssue[] = [];
  if (o.backoffBaseMs > o.backoffCapMs)
    issues.push({
      path: ['backoffBaseMs'],
      message: `backoffBaseMs (${o.backoffBaseMs}) is above backoffCapMs (${o.backoffCapMs}), so the first retry would already wait longer than the longest: lower backoffBaseMs or raise backoffCapMs`,
    });
  return issues;
}

export const RUNTIME_KEYS = Object.keys(LlmRuntimeOptions.properties);
