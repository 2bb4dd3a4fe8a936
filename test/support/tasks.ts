import type { TaskPlugin } from '../../harness/plugin-api.ts';
import { loadPlugin, pluginNames } from '../../harness/registry/registry.ts';

/** Every registered task by name, loaded through the registry as a config would. */
export const TASKS: Readonly<Record<string, TaskPlugin>> = Object.fromEntries(
  await Promise.all(
    pluginNames('task').map(
      async (name) =>
        [name, await loadPlugin('task', name, { baseDir: process.cwd(), allowLocalPlugins: false })] as const,
    ),
  ),
);
