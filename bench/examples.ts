import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Manifest } from '../harness/results/manifest.js';
import type { MetricsFile } from '../harness/results/metrics-file.js';

const ROOT = resolve(new URL('../', import.meta.url).pathname);
const CONFIGS = ['quickstart', 'opera-next-action', 'opera-consistency', 'recommender-evaluation'];

/**
 * `npm run bench -- examples`: the README's wall times and counts. Each
 * example config runs once from scratch through the CLI (`usersim run CONFIG
 * --fresh`, into a temporary folder), as a user runs it.
 */
export async function benchExamples(): Promise<string[]> {
  const out = [`examples (load average ${loadavg()[0]?.toFixed(1)} at the start)`];
  const dir = mkdtempSync(join(tmpdir(), 'usersim-bench-examples-'));
  try {
    for (const name of CONFIGS) {
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [
          resolve(ROOT, 'bin/usersim.js'),
          'run',
          `configs/${name}.yaml`,
          '--fresh',
          '--quiet',
          '--set',
          `output=${dir}`,
        ],
        { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
      );
      const seconds = (performance.now() - t0) / 1000;
      if (r.status !== 0) {
        out.push(`  ${name}: exited ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
        continue;
      }
      const m = JSON.parse(readFileSync(join(dir, name, 'metrics.json'), 'utf8')) as MetricsFile;
      const man = JSON.parse(readFileSync(join(dir, name, 'manifest.json'), 'utf8')) as Manifest;
      const ns = [
        ...new Set(
          m.cells.flatMap((c) =>
            Object.values(c.metrics)
              .filter((x) => x.estimator !== 'point' && x.value !== null)
              .map((x) => x.n),
          ),
        ),
      ];
      out.push(
        `  ${name}: ${seconds.toFixed(1)} s wall; ${man.units?.computed ?? '?'} units, ${m.cells.length} cells, ${String(man.llmUsage?.['calls'] ?? 0)} LLM calls; n per value ${Math.min(...ns)}–${Math.max(...ns)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
