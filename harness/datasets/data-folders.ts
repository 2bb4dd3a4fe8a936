import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The data folders a dataset load reads. Loaders find their folder through
 * `datasetFolder`, which notes it here; the plan keeps the folders of every
 * dataset so that a rerun can tell that the data did not change without
 * loading it again (rerun-stamp.ts).
 */
const noting = new AsyncLocalStorage<Set<string>>();

/** Runs a load and returns what it returned with the folders it read (absolute paths). */
export async function withDataFolders<T>(load: () => Promise<T>): Promise<{ value: T; folders: string[] }> {
  const folders = new Set<string>();
  const value = await noting.run(folders, load);
  return { value, folders: [...folders].sort() };
}

/** Called by the folder resolver for each folder it hands a loader. */
export function noteDataFolder(dir: string): void {
  noting.getStore()?.add(dir);
}
