import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.ts';
import { PROJECT_ROOT } from '../../../harness/results/manifest.ts';
import { runConfig } from '../../../harness/runner/run.ts';

const quiet = { info: () => {}, warn: () => {} };
const SEED_METHODS = ['recagent', 'agent4rec', 'simuser', 'alignuser', 'alignuser-plus'];

// Issue 13: every seed simulator has a row with values (not n/a) in the local Tables 3 and 4, offline.
describe('the local Table 3 and Table 4 configs', () => {
  for (const [file, metric] of [
    ['configs/paper/local/table3-synthetic.yaml', 'action-accuracy'],
    ['configs/paper/local/table4-synthetic.yaml', 'thought-action'],
  ] as const) {
    it(`${file} runs offline and gives every seed method a row with values`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'usersim-paper-local-'));
      const cfg = await loadConfig(join(PROJECT_ROOT, file), {
        env: {},
        sets: ['datasets.0.users=8', 'report.B=200', `output=${join(cwd, 'out')}`],
      });
      const out = await runConfig(cfg, { log: quiet, cwd, noPreflight: true });
      expect(out.unitErrors).toBe(0);
      const cells = out.metrics?.cells ?? [];
      for (const method of SEED_METHODS) {
        const cell = cells.find((c) => c.method === method && !c.reference);
        expect(cell?.status, `${method} in ${file}`).toBe('ok');
        expect(Number.isFinite(cell?.metrics[metric]?.value), `${method} ${metric}`).toBe(true);
        expect(cell?.units.done).toBeGreaterThan(0);
      }
    }, 120_000);
  }
});
