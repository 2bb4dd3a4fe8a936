import type { JsonRecovery } from './parse-json.js';
import type { LlmRequest, Usage } from './types.js';

/**
 * One LLM call a unit (or fit) made, as its prediction line keeps it: enough
 * for `usersim inspect` to find the messages and the reply in the cache (by
 * key) and to say what happened to it.
 */
export interface CallRecord {
  /** What the call was for: the request's stage label (schema name by default), prefixed by fit/ or judge/. */
  readonly stage: string;
  readonly key: string;
  /** 0, or the attempt number `--retry-errors` asked this request under. */
  readonly attempt: number;
  readonly cached: boolean;
  readonly usage: Usage;
  readonly costUsd: number;
  /** Why the model stopped, when it did not simply finish ('length': cut at maxTokens). */
  readonly finish?: string;
  /** The second turn of a structured call, quoting why the first reply was refused. */
  readonly repair?: true;
  /** Structured calls: how the JSON was obtained, or 'invalid' (the reason follows). */
  readonly json?: JsonRecovery | 'invalid';
  readonly invalid?: string;
}

/** The stage name a call is shown under: its stage label (schema name by default), after the meter's prefix. */
export function stageOf(request: LlmRequest, prefix: string | undefined): string {
  const own = request.stage ?? request.schemaName ?? 'call';
  return prefix ? `${prefix}/${own}` : own;
}

/** The record of one call as the door answered it. */
export function callRecordOf(
  request: LlmRequest,
  r: Pick<CallRecord, 'key' | 'cached' | 'usage' | 'costUsd'> & { readonly finish?: string | null },
  attempt: number,
  prefix: string | undefined,
  extra: Partial<CallRecord> = {},
): CallRecord {
  return {
    stage: stageOf(request, prefix),
    key: r.key,
    attempt,
    cached: r.cached,
    usage: r.usage,
    costUsd: r.costUsd,
    ...(r.finish && r.finish !== 'stop' ? { finish: r.finish } : {}),
    ...extra,
  };
}
