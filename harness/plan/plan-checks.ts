import { readFileSync } from 'node:fs';
import type { Capability, Simulator } from '../api/method.js';
import type { Logger } from '../api/plugin.js';
import type { PathSeg } from '../config/config-error.js';
import type { LoadedConfig } from '../config/load.js';

type Fail = (path: readonly PathSeg[], message: string) => void;

/**
 * One simulator per method, made with its options but never fitted or run:
 * it shows whether every capability the plugin declares is really there
 * (a contributor's plugin may declare more than it implements) and whether
 * it fits on training data.
 */
export async function probeSimulators(cfg: LoadedConfig, log: Logger, fail: Fail): Promise<Map<string, Simulator>> {
  const out = new Map<string, Simulator>();
  for (const [i, m] of cfg.methods.entries()) {
    const prompts: Record<string, string> = {};
    for (const [name, url] of Object.entries(m.plugin.prompts ?? {})) prompts[name] = readFileSync(url, 'utf8');
    const sim = await m.plugin.create(m.options as never, {
      seed: cfg.seeds[0] as number,
      configDir: m.baseDir,
      log,
      prompts,
    });
    for (const cap of m.plugin.capabilities) {
      if (typeof sim[cap] !== 'function')
        fail(
          ['methods', i, 'plugin'],
          `method plugin "${m.plugin.name}" declares the ${cap} capability, but the simulator its create() returns has no ${cap} function: implement it or remove "${cap}" from capabilities`,
        );
    }
    out.set(m.id, sim);
  }
  return out;
}

/**
 * A method named in a task's `methods:` list must have the capabilities the
 * task calls, and every method must be able to run at least one task of the
 * config. (A method that lacks one task's capability in a config with several
 * tasks shows n/a in that task's columns.)
 */
export function capabilityIssues(cfg: LoadedConfig, fail: Fail): void {
  const lacking = (caps: readonly Capability[], need: readonly Capability[]) => need.filter((c) => !caps.includes(c));
  const runsSomething = new Set<string>();
  for (const [ti, t] of cfg.tasks.entries()) {
    for (const m of cfg.methods) {
      const asked = t.methods === null || t.methods.includes(m.id);
      const missing = lacking(m.plugin.capabilities, t.task.needs.capabilities);
      if (asked && missing.length === 0) runsSomething.add(m.id);
      if (t.methods !== null && asked && missing.length > 0) {
        fail(
          ['tasks', ti, 'methods', t.methods.indexOf(m.id)],
          `method "${m.id}" cannot run ${t.task.name}: ${m.plugin.name} has no ${missing.join(', ')} capability (it has: ${m.plugin.capabilities.join(', ') || 'none'}); remove it from this list`,
        );
      }
    }
  }
  if (cfg.tasks.length === 0) return;
  for (const [i, m] of cfg.methods.entries()) {
    if (runsSomething.has(m.id)) continue;
    const needed = [...new Set(cfg.tasks.flatMap((t) => t.task.needs.capabilities))];
    fail(
      ['methods', i],
      `method "${m.id}" can run none of this config's tasks: they need ${needed.join(' or ')}, and ${m.plugin.name} has ${m.plugin.capabilities.join(', ') || 'no capability'}. Remove the method, or add a task it can run (usersim list methods shows each method's capabilities)`,
    );
  }
}
