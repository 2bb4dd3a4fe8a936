import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newTrail, noteReused, withTrail } from '../llm/call-trail.js';
import { emptyTotals, type UsageTotals } from '../llm/usage-meter.js';
import { hashJson } from '../util/hash.js';
import { redactValue } from '../util/secrets.js';

/** Beside each artifact: the cache keys of the LLM calls that made it, and what they cost. */
interface ArtifactCalls {
  readonly keys: readonly string[];
  readonly usage: UsageTotals;
}

/**
 * Fit artifacts (personas, transitions, lessons, policy examples) stored by
 * the hash of everything they were made from, so rerunning an evaluation
 * reuses them and makes no LLM call for fitting. Each artifact records the
 * calls that made it (`<hash>.calls.json`): a run that reuses it lists those
 * keys in its cache-keys.txt, so its exported cache still replays it, and
 * counts their cost as its fit's. An artifact whose making left an item out
 * (a failed call) is not stored: the next run makes it again.
 */
export class ArtifactStore {
  hits = 0;
  misses = 0;

  constructor(readonly dir: string) {}

  pathOf(key: unknown): string {
    return join(this.dir, `${hashJson(key)}.json`);
  }

  private callsPathOf(path: string): string {
    return path.replace(/\.json$/, '.calls.json');
  }

  /**
   * `make` runs only when no artifact has this key. An artifact stored before
   * calls were recorded cannot say which calls it needs, so it is made again
   * (from the LLM cache, at no cost) — unless `noLlmCalls`: its making calls
   * no model through the door (a fine-tuning job), and making it again would
   * cost real money.
   */
  async memo<T>(key: unknown, make: () => Promise<T>, opts: { readonly noLlmCalls?: boolean } = {}): Promise<T> {
    const path = this.pathOf(key);
    const callsPath = this.callsPathOf(path);
    const recorded = existsSync(callsPath);
    if (existsSync(path) && (recorded || opts.noLlmCalls === true)) {
      const calls: ArtifactCalls = recorded
        ? (JSON.parse(readFileSync(callsPath, 'utf8')) as ArtifactCalls)
        : { keys: [], usage: emptyTotals() };
      this.hits++;
      noteReused(calls.keys, calls.usage);
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    }
    this.misses++;
    const trail = newTrail();
    // Redacted before it is kept or stored, so a rerun reading the file sees what this run used.
    const value = redactValue(await withTrail(trail, make));
    if (trail.tainted) return value;
    mkdirSync(this.dir, { recursive: true });
    const record: ArtifactCalls = { keys: [...trail.keys].sort(), usage: trail.usage };
    writeAtomic(callsPath, JSON.stringify(record));
    writeAtomic(path, JSON.stringify(value));
    return value;
  }
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
