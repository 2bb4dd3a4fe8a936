import type { PathSeg } from '../config/config-error.js';
import { type LoadedConfig, type PluginUse, splitLlmOptions } from '../config/load.js';
import type { LlmPlugin } from '../api/llm.js';
import { hashJson } from '../util/hash.js';
import { registerSecretEnv } from '../util/secrets.js';
import { JUDGE, type PlannedEndpoint } from './plan.js';

/**
 * Every distinct LLM configuration of the run (the run's `llm`, per-method
 * `llm`s, the judge), each created once. Two entries with the same plugin,
 * public options and runtime share one endpoint (and so one door, one
 * limiter). Checked here: batch execution needs a provider with a batch API
 * and the LLM cache.
 */
export async function planEndpoints(
  cfg: LoadedConfig,
  fail: (path: readonly PathSeg[], message: string) => void,
): Promise<{ list: PlannedEndpoint[]; methodEndpoint: Map<string, string>; judgeEndpoint: string | null }> {
  const byKey = new Map<string, PlannedEndpoint & { usedBy: string[] }>();
  const endpointOf = async (use: PluginUse<LlmPlugin>, who: string): Promise<string> => {
    const { own, runtime } = splitLlmOptions(use.options);
    const key = hashJson({ plugin: use.plugin.name, options: publicOptions(use.plugin.options, own), runtime });
    const known = byKey.get(key);
    if (known) {
      if (!known.usedBy.includes(who)) known.usedBy.push(who);
      return key;
    }
    const provider = await use.plugin.create(own as never, {
      seed: cfg.seeds[0] as number,
      configDir: use.baseDir,
      log: { info: () => {}, warn: () => {} },
    });
    // The variable a provider takes its key from is a secret even when its schema does not say so.
    if (provider.hints?.apiKeyEnv) registerSecretEnv(provider.hints.apiKeyEnv);
    if (runtime.execution === 'batch' && !provider.batch)
      fail(
        [...use.path, 'execution'],
        `execution: batch needs a provider with a batch API, and ${provider.provider} has none: set execution: online (or use a provider with a batch API, e.g. openai)`,
      );
    else if (runtime.execution === 'batch' && cfg.resolved.cache.mode === 'off')
      fail(
        [...use.path, 'execution'],
        'execution: batch needs the LLM cache (batch results flow into it): remove cache.mode: off, or set execution: online',
      );
    byKey.set(key, { key, use, provider, runtime, usedBy: [who], path: use.path });
    return key;
  };
  const methodEndpoint = new Map<string, string>();
  for (const m of cfg.methods) if (m.llm) methodEndpoint.set(m.id, await endpointOf(m.llm, m.id));
  const judgeEndpoint =
    cfg.judge && cfg.tasks.some((t) => t.task.needs.judge) ? await endpointOf(cfg.judge, JUDGE) : null;
  return { list: [...byKey.values()], methodEndpoint, judgeEndpoint };
}

/** Plugin options minus the fields its schema marks secret. */
export function publicOptions(schema: unknown, options: Record<string, unknown>): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, { secret?: boolean }> }).properties ?? {};
  return Object.fromEntries(Object.entries(options).filter(([k]) => props[k]?.secret !== true));
}
