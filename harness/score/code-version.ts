import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../results/manifest.js';
import { sha256 } from '../util/hash.js';

/** What scoring code there is: harness/ makes the statistics, plugins/tasks/ the metrics. */
const SCORING_SOURCES = ['harness', 'plugins/tasks', 'package.json'];

let cached: string | null = null;

/**
 * A hash of the code that turns prediction lines into metrics.json: the source
 * files themselves, so that an edit without a commit (or a dirty tree) counts
 * as a new version. Computed once per process (a few hundred small files).
 */
export function scoringCodeVersion(): string {
  if (cached !== null) return cached;
  const parts: string[] = [];
  const visit = (path: string) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else if (/\.(ts|js|json|yaml|md)$/.test(path)) {
      parts.push(`${relative(PROJECT_ROOT, path)}\u0000${sha256(readFileSync(path))}`);
    }
  };
  for (const s of SCORING_SOURCES) visit(join(PROJECT_ROOT, s));
  cached = sha256(parts.join('\n'));
  return cached;
}
