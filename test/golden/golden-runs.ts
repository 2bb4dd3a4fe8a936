import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../harness/config/load.ts';
import { runConfig } from '../../harness/runner/run.ts';
import { PROJECT_ROOT } from '../support/project.ts';

/** The example configs whose outputs must not change by accident. */
export const GOLDEN_CONFIGS = [
  'configs/quickstart.yaml',
  'configs/opera-next-action.yaml',
  'configs/opera-consistency.yaml',
  'configs/recommender-evaluation.yaml',
] as const;

export const GOLDEN_FILE = join(PROJECT_ROOT, 'test/golden/hashes.json');

export type Hashes = Record<string, { 'metrics.json': string; 'comparisons.json': string; 'unit-scores.bin': string }>;

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** Runs a config fresh into a temporary folder and hashes what the score stage wrote. */
export async function goldenRun(config: string): Promise<Hashes[string]> {
  const dir = mkdtempSync(join(tmpdir(), 'usersim-golden-'));
  try {
    const cfg = await loadConfig(join(PROJECT_ROOT, config), {
      env: {},
      sets: [`output=${join(dir, 'results')}`, `cache.path=${join(dir, 'llm.sqlite')}`],
    });
    const out = await runConfig(cfg, { log: { info: () => {}, warn: () => {} }, fresh: true });
    return {
      'metrics.json': sha(join(out.dir, 'metrics.json')),
      'comparisons.json': sha(join(out.dir, 'comparisons.json')),
      'unit-scores.bin': sha(join(out.dir, 'unit-scores.bin')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readHashes(): Hashes {
  return JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Hashes;
}
