import { join } from 'node:path';
import { loadConfig } from '../../../harness/config/load.js';
import { writeLeaderboards } from '../../../harness/report/write-leaderboards.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';
import { runConfig } from '../../../harness/runner/run.js';
import { PROJECT_ROOT } from '../../support/project.js';

/**
 * The example configs, shrunk for tests: fewer users, a shorter AlignUSER
 * fit, B = 200 (1000 for the quickstart). The tables keep their shape (every method, task and column;
 * recommender-evaluation's five parts), which is what the report tests read.
 */
export const SMALL: Readonly<Record<string, readonly string[]>> = {
  // B = 1000 lets a p-value survive Holm's correction over the quickstart's 16 comparisons.
  quickstart: ['datasets.0.users=60', 'datasets.0.items=120', 'report.B=1000'],
  'opera-next-action': [
    'datasets.0.users=8',
    'methods.2.fitSessions=3',
    'methods.2.stepsPerSession=1',
    'methods.3.fitSessions=3',
    'methods.3.stepsPerSession=1',
    'report.B=200',
  ],
  'opera-consistency': ['datasets.0.users=8', 'methods.2.fitSessions=3', 'methods.2.stepsPerSession=1', 'report.B=200'],
  'recommender-evaluation': ['datasets.0.users=30', 'datasets.0.items=120', 'methods.6.fitUsers=5', 'report.B=200'],
};

export const EXAMPLES = Object.keys(SMALL);

/** Runs configs/<name>.yaml with the small settings into `out`/<name>/ and writes every leaderboard format. */
export async function runExample(
  name: string,
  out: string,
  extra: readonly string[] = [],
): Promise<{ dir: string; metrics: MetricsFile }> {
  const cfg = await loadConfig(join(PROJECT_ROOT, 'configs', `${name}.yaml`), {
    sets: [...(SMALL[name] ?? []), `output=${out}`, 'cache.mode=off', ...extra],
  });
  const r = await runConfig(cfg, { log: { info() {}, warn() {} }, fresh: true });
  if (!r.metrics) throw new Error(`${name}: the run stopped before scoring`);
  await writeLeaderboards(r.dir, r.metrics, ['txt', 'md', 'csv', 'tex', 'html'], 3);
  return { dir: r.dir, metrics: r.metrics };
}
