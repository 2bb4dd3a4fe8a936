import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashJson } from '../util/hash.js';
import { redactValue } from '../util/secrets.js';

/**
 * Fit artifacts (personas, transitions, lessons, policy examples) stored by
 * the hash of everything they were made from, so rerunning an evaluation
 * reuses them and makes no LLM call for fitting.
 */
export class ArtifactStore {
  hits = 0;
  misses = 0;

  constructor(readonly dir: string) {}

  pathOf(key: unknown): string {
    return join(this.dir, `${hashJson(key)}.json`);
  }

  async memo<T>(key: unknown, make: () => Promise<T>): Promise<T> {
    const path = this.pathOf(key);
    if (existsSync(path)) {
      this.hits++;
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    }
    this.misses++;
    // Redacted before it is kept or stored, so a rerun reading the file sees what this run used.
    const value = redactValue(await make());
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, path);
    return value;
  }
}
