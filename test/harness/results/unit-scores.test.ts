import { describe, expect, it } from 'vitest';
import type { MetricsFile } from '../../../harness/results/metrics-file.ts';
import { cellKeyOf, UnitScores, withoutUnitData } from '../../../harness/results/unit-scores.ts';
import { withStatistics } from '../../../harness/stats/table-statistics.ts';
import { GOLDEN_OPTIONS, goldenTable } from '../stats/golden-tables.ts';

describe('unit-scores.bin', () => {
  it('gives back every per-unit field of every cell metric exactly (null scores, weights, pooled counts)', () => {
    const m = goldenTable();
    const bytes = UnitScores.of(m).encode(m.cells.map(cellKeyOf));
    const back = UnitScores.decode(bytes);
    for (const c of m.cells)
      for (const [k, metric] of Object.entries(c.metrics)) {
        const d = back.get(cellKeyOf(c), k);
        expect(d?.unitIds).toEqual(metric.unitIds);
        expect(d?.unitKeys).toEqual(metric.unitKeys);
        expect(d?.unitScores).toEqual(metric.unitScores);
        expect(d?.unitWeights).toEqual(metric.unitWeights);
        expect(d?.pooledF1).toEqual(metric.pooledF1);
      }
    // A metric with a unit error has a null score.
    expect(back.get(cellKeyOf(m.cells[2]!), 'cont')?.unitScores).toContain(null);
    // Lists shared by metrics and methods are stored once (one per dataset, and the empty one).
    const header = JSON.parse(bytes.subarray(0, bytes.indexOf(10)).toString('utf8')) as { lists: unknown[] };
    expect(header.lists.length).toBe(3);
  });

  it('the statistics of metrics whose units come back from the file are those of the original', () => {
    const m = goldenTable();
    const back = UnitScores.decode(UnitScores.of(m).encode(m.cells.map(cellKeyOf)));
    const slim = withoutUnitData(m);
    expect(JSON.stringify(slim)).not.toContain('unitScores');
    const rejoined: MetricsFile = {
      ...slim,
      cells: slim.cells.map((c) => ({
        ...c,
        metrics: Object.fromEntries(
          Object.entries(c.metrics).map(([k, x]) => [k, { ...x, ...back.get(cellKeyOf(c), k) }]),
        ),
      })),
    };
    const o = GOLDEN_OPTIONS['paired-bootstrap, percentile']!;
    expect(withStatistics(rejoined, o).comparisons).toEqual(withStatistics(m, o).comparisons);
  });

  it('a file that is not one, or is cut short, is an error that says to rerun', () => {
    expect(() => UnitScores.decode(Buffer.from('not json\n'))).toThrow(/not a unit-scores file.*rerun/);
    const m = goldenTable();
    const bytes = UnitScores.of(m).encode(m.cells.map(cellKeyOf));
    expect(() => UnitScores.decode(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/);
  });
});
