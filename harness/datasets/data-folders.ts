import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The data folders (and files) a dataset load reads. Loaders find their
 * folder through `datasetFolder`, which notes it here; a loader that reads
 * anything else notes it with `noteDataFolder` itself. The plan keeps them so
 * that a rerun can tell that the data did not change without loading it
 * again (rerun-stamp.ts).
 */
const noting = new AsyncLocalStorage<Set<string>>();

/** Runs a load and returns what it returned with the folders it read (absolute paths). */
export async function withDataFolders<T>(load: () => Promise<T>): Promise<{ value: T; folders: string[] }> {
  const folders = new Set<string>();
  const value = await noting.run(folders, load);
  return { value, folders: [...folders].sort() };
}

/** A folder or file the running load reads (absolute). */
export function noteDataFolder(dir: string): void {
  noting.getStore()?.add(dir);
}
