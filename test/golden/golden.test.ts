import { describe, expect, it } from 'vitest';
import { goldenRun, readHashes } from './golden-runs.ts';

// The two fastest example configs run in the suite; `npm run golden` checks all four.
describe('example configs write the recorded metrics.json and comparisons.json, byte for byte', () => {
  for (const config of ['configs/quickstart.yaml', 'configs/opera-consistency.yaml'] as const) {
    it(config, async () => {
      expect(await goldenRun(config)).toEqual(readHashes()[config]);
    });
  }
});
