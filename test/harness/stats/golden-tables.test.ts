import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withStatistics } from '../../../harness/stats/table-statistics.ts';
import { GOLDEN_OPTIONS, goldenTable, statisticsOf, WIDE_OPTIONS, wideTable } from './golden-tables.ts';

const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/golden-tables.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('table statistics against the outputs of the implementation before shared resamples', () => {
  for (const [name, o] of Object.entries(GOLDEN_OPTIONS)) {
    it(`${name}: every interval, test and p-value to the last bit`, () => {
      expect(statisticsOf(withStatistics(goldenTable(), o))).toEqual(golden[name]);
    });
  }

  it('more than 65536 units per cell: the same to the last bit', () => {
    expect(statisticsOf(withStatistics(wideTable(), WIDE_OPTIONS))).toEqual(golden['wide']);
  });
});
