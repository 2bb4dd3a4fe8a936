import { LlmDoor } from '../../harness/llm/door.js';
import { loadPriceTable } from '../../harness/llm/prices.js';
import type { LlmRequest, LlmProvider } from '../../harness/llm/types.js';
import { emptyTotals, type UsageTotals } from '../../harness/llm/usage-meter.js';
import type { Llm } from '../../harness/plugin-api.js';
import { Value } from '@sinclair/typebox/value';
import { LlmRuntimeOptions } from '../../harness/llm/runtime-options.js';

export interface ScriptedLlm {
  readonly llm: Llm;
  /** Every request the provider received, in order (repair turns included). */
  readonly requests: LlmRequest[];
  readonly usage: UsageTotals;
}

/**
 * An Llm whose replies come from `script` (fixed replies per prompt), behind
 * the real door: structured replies are parsed, validated and repaired exactly
 * as in a run.
 */
export function scriptedLlm(script: (request: LlmRequest, callIndex: number) => string): ScriptedLlm {
  const requests: LlmRequest[] = [];
  const provider: LlmProvider = {
    provider: 'scripted',
    model: 'scripted',
    mock: true,
    identity: { provider: 'scripted' },
    async complete(request) {
      requests.push(request);
      const text = script(request, requests.length - 1);
      return {
        text,
        model: 'scripted',
        usage: {
          input: Math.ceil(JSON.stringify(request.messages).length / 4),
          cachedInput: 0,
          output: Math.ceil(text.length / 4),
        },
      };
    },
  };
  const door = new LlmDoor(provider, {
    runtime: Value.Default(LlmRuntimeOptions, {}) as never,
    cache: null,
    cacheOnly: false,
    prices: loadPriceTable(),
    seed: 1,
  });
  const usage = emptyTotals();
  return { llm: door.meter(usage, new AbortController().signal), requests, usage };
}

/** The text of all messages of a request, for "the prompt carries X" assertions. */
export function promptText(r: LlmRequest): string {
  return r.messages.map((m) => m.content).join('\n');
}
