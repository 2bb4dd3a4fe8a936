/**
 * Writes test/fixtures/stats/golden-tables.json: the statistics of the golden tables as the
 * implementation of the time computed them. Run once, by hand, on the commit
 * before shared resamples (npx tsx test/harness/stats/golden-tables-write.ts);
 * never rerun it to make a failing golden test pass.
 */
import { writeFileSync } from 'node:fs';
import { withStatistics } from '../../../harness/stats/table-statistics.ts';
import { GOLDEN_OPTIONS, goldenTable, statisticsOf, WIDE_OPTIONS, wideTable } from './golden-tables.ts';

const out: Record<string, unknown> = {};
for (const [name, o] of Object.entries(GOLDEN_OPTIONS)) out[name] = statisticsOf(withStatistics(goldenTable(), o));
out['wide'] = statisticsOf(withStatistics(wideTable(), WIDE_OPTIONS));
writeFileSync(new URL('../../fixtures/stats/golden-tables.json', import.meta.url), `${JSON.stringify(out)}\n`);
