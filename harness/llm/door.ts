import type { ValidateFunction } from 'ajv';
import type { Llm } from '../plugin-api.js';
import { createReplyAjv, formatAjvError } from '../util/ajv.js';
import { hashJson } from '../util/hash.js';
import { LlmParseError, UnitError } from './errors.js';
import { extractJson } from './parse-json.js';
import type { LlmProvider, LlmRequest, LlmResponse } from './types.js';
import { addUsage, emptyTotals, type UsageTotals } from './usage-meter.js';

/**
 * The only door to a model. Methods get a metered view of it per unit (or per
 * fit stage); the door validates structured replies and counts every call.
 */
export class LlmDoor {
  private readonly ajv = createReplyAjv();
  private readonly validators = new Map<string, ValidateFunction>();
  readonly runTotals: UsageTotals = emptyTotals();

  constructor(readonly provider: LlmProvider) {}

  /** A metered handle: everything it does is added to `totals` and to the run's totals. */
  meter(totals: UsageTotals, signal: AbortSignal): Llm {
    return {
      model: this.provider.model,
      mock: this.provider.mock,
      complete: (request) => this.call(request, totals, signal),
      json: <T>(request: LlmRequest & { schema: Record<string, unknown> }) => this.json<T>(request, totals, signal),
    };
  }

  private async call(request: LlmRequest, totals: UsageTotals, signal: AbortSignal): Promise<LlmResponse> {
    const started = performance.now();
    let reply;
    try {
      reply = await this.provider.complete(request, signal);
    } catch (e) {
      if (signal.aborted) throw e;
      throw new UnitError('llm', `${this.provider.provider}/${this.provider.model}: ${(e as Error).message}`);
    }
    const costUsd = 0;
    addUsage(totals, reply.usage, costUsd, false);
    addUsage(this.runTotals, reply.usage, costUsd, false);
    return { text: reply.text, usage: reply.usage, costUsd, cached: false, latencyMs: performance.now() - started };
  }

  private validator(schema: Record<string, unknown>): ValidateFunction {
    const key = hashJson(schema);
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(schema);
      this.validators.set(key, v);
    }
    return v;
  }

  private check(text: string, validate: ValidateFunction): { ok: true; value: unknown } | { ok: false; error: string } {
    const parsed = extractJson(text);
    if (!parsed.ok) return parsed;
    if (validate(parsed.value)) return parsed;
    return { ok: false, error: `the JSON does not match the schema: ${(validate.errors ?? []).map(formatAjvError).join('; ')}` };
  }

  private async json<T>(request: LlmRequest & { schema: Record<string, unknown> }, totals: UsageTotals, signal: AbortSignal): Promise<T> {
    const validate = this.validator(request.schema);
    const first = await this.call(request, totals, signal);
    const r1 = this.check(first.text, validate);
    if (r1.ok) return r1.value as T;
    const repair: LlmRequest = {
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: first.text },
        {
          role: 'user',
          content: `Your reply could not be used: ${r1.error}. Reply again with only a JSON value that satisfies the schema, and nothing else.`,
        },
      ],
    };
    const second = await this.call(repair, totals, signal);
    const r2 = this.check(second.text, validate);
    if (r2.ok) return r2.value as T;
    throw new LlmParseError(`structured reply invalid after one repair turn: ${r2.error}`, second.text);
  }
}
