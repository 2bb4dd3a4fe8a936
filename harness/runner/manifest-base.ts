import type { LoadedConfig } from '../config/load.js';
import { gitInfo, type Manifest, packageVersions } from '../results/manifest.js';

/** The manifest fields a run knows from its config and environment before the plan is built. */
export function baseManifest(
  cfg: LoadedConfig,
  command: string,
): Omit<Manifest, 'datasets' | 'prompts' | 'llms' | 'choices'> {
  return {
    name: cfg.resolved.name,
    configHash: cfg.hash,
    config: cfg.resolved,
    configFiles: cfg.layers,
    overrides: cfg.overrides,
    command,
    status: 'running',
    startedAt: new Date().toISOString(),
    git: gitInfo(),
    node: process.version,
    packages: packageVersions(),
    tasks: Object.fromEntries(cfg.tasks.map((t) => [t.task.name, { version: t.task.version }])),
    methods: Object.fromEntries(cfg.methods.map((m) => [m.id, { plugin: m.plugin.name, version: m.plugin.version }])),
    seeds: cfg.seeds,
  };
}
