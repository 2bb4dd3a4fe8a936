/**
 * `npm run golden [-- --update]`: reruns every example config and compares
 * the SHA-256 of its metrics.json and comparisons.json with test/golden/hashes.json.
 * A change that moves numbers on purpose updates the file in the same commit
 * (and says why); anything else is a regression.
 */
import { writeFileSync } from 'node:fs';
import { GOLDEN_CONFIGS, GOLDEN_FILE, goldenRun, type Hashes, readHashes } from './golden-runs.ts';

const update = process.argv.includes('--update');
const known: Hashes = update ? {} : readHashes();
const now: Hashes = {};
let changed = 0;
for (const c of GOLDEN_CONFIGS) {
  const t = Date.now();
  now[c] = await goldenRun(c);
  const same = JSON.stringify(known[c]) === JSON.stringify(now[c]);
  if (!same && !update) changed++;
  process.stdout.write(
    `${c}: ${update ? 'recorded' : same ? 'unchanged' : 'CHANGED'} (${((Date.now() - t) / 1000).toFixed(1)} s)\n`,
  );
}
if (update) writeFileSync(GOLDEN_FILE, `${JSON.stringify(now, null, 2)}\n`);
process.exit(changed > 0 ? 1 : 0);
