import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** ../shared/datasets beside the project (never copied into it: licences forbid redistribution). */
export const SHARED_DATASETS = resolve(new URL('../../', import.meta.url).pathname, '..', 'shared', 'datasets');

/**
 * The path of a shared dataset folder, or null when it is absent. Under CI=true
 * absence is a failure with a clear message, elsewhere the test may skip.
 */
export function sharedDataset(name: string): string | null {
  const p = resolve(SHARED_DATASETS, name);
  if (existsSync(p)) return p;
  if (process.env['CI'] === 'true') {
    throw new Error(
      `test data missing: ${p} does not exist. CI needs ../shared/datasets/${name} beside the project (see shared/datasets/README.md).`,
    );
  }
  return null;
}
