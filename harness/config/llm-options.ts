import type { TSchema } from '@sinclair/typebox';
import { type LlmRuntime, LlmRuntimeOptions, RUNTIME_KEYS } from '../llm/runtime-options.js';

/** An LLM entry's schema: the plugin's own options plus the harness's runtime ones (limits, retries, batch). */
export function withRuntimeOptions(schema: TSchema): TSchema {
  const own = schema as { properties?: Record<string, unknown>; required?: string[] };
  return {
    ...schema,
    type: 'object',
    properties: { ...(own.properties ?? {}), ...LlmRuntimeOptions.properties },
    additionalProperties: false,
  } as unknown as TSchema;
}

/** Splits an LLM entry's validated options into the plugin's own and the harness's runtime ones. */
export function splitLlmOptions(options: Record<string, unknown>): {
  own: Record<string, unknown>;
  runtime: LlmRuntime;
} {
  const own: Record<string, unknown> = {};
  const runtime: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) (RUNTIME_KEYS.includes(k) ? runtime : own)[k] = v;
  return { own, runtime: runtime as LlmRuntime };
}
