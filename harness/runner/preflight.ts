import type { Logger } from '../api/plugin.js';
import { CostLimitStop } from '../llm/door.js';
import { LlmAuthError, LlmParseError, UnitError } from '../llm/errors.js';
import { ProviderError } from '../llm/provider-error.js';
import { emptyTotals } from '../llm/usage-meter.js';
import type { Plan, PlannedEndpoint } from '../plan/plan.js';
import type { Doors } from './doors.js';
import { RunError } from './run-error.js';

/** The probe: tiny, fixed, so its answer is cached once per endpoint and every later preflight is free. */
const PROBE_SCHEMA = {
  type: 'object',
  properties: { ok: { type: 'boolean' } },
  required: ['ok'],
  additionalProperties: false,
};

/**
 * Before any unit runs, each distinct LLM endpoint is checked: its key
 * variable is set, and (unless `--cache-only`) one tiny structured call
 * answers, which shows the endpoint is up, the model exists and the
 * structured-output mode is accepted. Each problem is one line and exit 2,
 * naming what to change; a model that answers the probe badly is only a
 * warning (the run's repair turns deal with that).
 */
export async function preflight(
  plan: Plan,
  doors: Doors,
  opts: { readonly cacheOnly: boolean; readonly log: Logger; readonly signal: AbortSignal },
): Promise<void> {
  for (const e of plan.endpoints) {
    const p = e.provider;
    if (p.mock || !p.hints) continue;
    const where = describe(e);
    const env = p.hints.apiKeyEnv;
    if (opts.cacheOnly) continue;
    if (env && (process.env[env] ?? '').trim() === '')
      throw new RunError(
        `${env} is not set, and ${where} needs it: export it before the run (a local OpenAI-compatible server such as vLLM, SGLang or Ollama accepts any value, e.g. ${env}=local)`,
      );
    const door = doors.of(e.key);
    if (!door) continue;
    const llm = door.meter(emptyTotals(), opts.signal, { online: true, stage: 'preflight', attempts: 'fixed' });
    try {
      await llm.json({
        messages: [
          { role: 'user', content: 'Preflight check of structured output. Reply with the JSON {"ok": true}.' },
        ],
        schema: PROBE_SCHEMA,
        schemaName: 'preflight',
        temperature: 0,
        maxTokens: 32,
      });
    } catch (err) {
      if (opts.signal.aborted || err instanceof CostLimitStop) return;
      if (err instanceof LlmAuthError) throw new RunError(`preflight: ${err.message}`);
      if (err instanceof LlmParseError) {
        opts.log.warn(
          `preflight: ${where} answered the probe with unusable JSON (${err.message}); the run goes on, with repair turns for such replies`,
        );
        continue;
      }
      if (err instanceof UnitError) throw new RunError(`preflight: ${explain(e, err, where)}`);
      throw err;
    }
  }
}

function describe(e: PlannedEndpoint): string {
  const h = e.provider.hints;
  return `the LLM at ${h?.baseURL ?? e.provider.provider} (model ${e.provider.model}, used by ${e.usedBy.join(', ')}; config ${e.path.join('.')})`;
}

function explain(e: PlannedEndpoint, err: UnitError, where: string): string {
  const cause = err.cause instanceof ProviderError ? err.cause : null;
  const status = cause?.status ?? null;
  const h = e.provider.hints;
  const at = e.path.join('.');
  if (status === 404)
    return `${where}: the endpoint does not know model "${e.provider.model}" (HTTP 404): check ${at}.model against the models the server lists (for vLLM, the name given to --served-model-name) and ${at}.baseURL`;
  if (status === 400 || status === 422) {
    const others = (h?.structuredModes ?? []).filter((m) => m !== h?.structured);
    const mode = h?.structured ? `structured: ${h.structured}` : 'its structured-output mode';
    return (
      `${where} rejected ${mode} (HTTP ${status}: ${cause?.message ?? err.message})` +
      (others.length > 0
        ? `: set ${at}.structured to one of ${others.join(' | ')} (e.g. --set ${at}.structured=${others[0]})`
        : ': check the options this endpoint accepts')
    );
  }
  return `${where} did not answer: ${err.message}. Check that the server is running and ${at}.baseURL is right`;
}
