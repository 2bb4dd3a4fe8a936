import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../results/manifest.js';
import { sha256 } from '../util/hash.js';

/** What scoring code there is: harness/ makes the statistics, plugins/tasks/ the metrics. */
const SCORING_SOURCES = ['harness', 'plugins/tasks', 'package.json'];
/** Everything a run's results depend on: the harness, every plugin, and the dependencies they run on. */
const RUN_SOURCES = ['harness', 'plugins', 'bin', 'package.json', 'package-lock.json'];

const cached = new Map<string, string>();
/** Each file is read and hashed once per process, whichever versions include it. */
const fileDigests = new Map<string, string>();

/**
 * A hash of the code that turns prediction lines into metrics.json: the source
 * files themselves, so that an edit without a commit (or a dirty tree) counts
 * as a new version. Computed once per process (a few hundred small files).
 */
export function scoringCodeVersion(): string {
  return sourceVersion(SCORING_SOURCES);
}

/** The same for everything a run depends on (plans, methods, datasets, scoring): what a rerun's stamp records. */
export function runCodeVersion(): string {
  return sourceVersion(RUN_SOURCES);
}

function sourceVersion(sources: readonly string[]): string {
  const key = sources.join('\u0000');
  const known = cached.get(key);
  if (known !== undefined) return known;
  const parts: string[] = [];
  const visit = (path: string) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else if (/\.(ts|js|json|yaml|md)$/.test(path)) {
      let digest = fileDigests.get(path);
      if (digest === undefined) fileDigests.set(path, (digest = sha256(readFileSync(path))));
      parts.push(`${relative(PROJECT_ROOT, path)}\u0000${digest}`);
    }
  };
  for (const s of sources) visit(join(PROJECT_ROOT, s));
  const version = sha256(parts.join('\n'));
  cached.set(key, version);
  return version;
}
