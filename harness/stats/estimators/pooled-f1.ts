import { type F1Average, f1FromCounts, pooledF1 as pooledF1Of } from '../../metrics/pooled-f1.js';
import { intervalOf, jackknife } from '../bootstrap-ci.js';
import { pairedFromDistribution } from '../paired-bootstrap.js';
import type { SharedResamples } from '../shared-resamples.js';
import type { Deferred, Estimator } from './estimator.js';
import { pairedOnScores } from './paired-scores.js';

/**
 * An F1 pooled over units: each unit brings (tp, fp, fn) per class, the value
 * is the F1 of the summed counts under `average`. The bootstrap resamples
 * units and recomputes it from the resampled sums of each count (left to right
 * in draw order, as pooledF1 adds them); the paired bootstrap resamples both
 * methods' units together and compares their recomputed F1s. Other paired
 * tests compare the per-unit scores. The pooled estimators differ only in the average.
 */
export function pooledF1Estimator(name: string, description: string, average: F1Average): Estimator {
  return {
    name,
    description,
    interval(_m, units, o) {
      if (units.length === 0) return null;
      const counts = units.map((x) => x.counts as readonly number[]);
      const point = pooledF1Of(counts, undefined, average);
      if (counts.length === 1) return () => ({ lo: point, hi: point });
      const dist = resampledF1(counts, o.resamples, average);
      const idx = Float64Array.from(counts, (_, k) => k);
      return () =>
        intervalOf(dist(), point, o.level, o.ci, () => jackknife(idx, (s) => pooledF1Of(counts, s, average)));
    },
    paired(mine, theirs, direction, o) {
      if (o.test !== 'paired-bootstrap' || mine.some((x) => !x.counts) || theirs.some((x) => !x.counts))
        return pairedOnScores(mine, theirs, direction, o);
      const a = mine.map((x) => x.counts as readonly number[]);
      const b = theirs.map((x) => x.counts as readonly number[]);
      const observed = pooledF1Of(a, undefined, average) - pooledF1Of(b, undefined, average);
      const distA = resampledF1(a, o.resamples, average);
      const distB = resampledF1(b, o.resamples, average);
      return () => {
        const dist = distA();
        const sub = distB();
        for (let r = 0; r < dist.length; r++) dist[r] = (dist[r] as number) - (sub[r] as number);
        const { pValue } = pairedFromDistribution(dist, observed, direction === 'higher' ? 'greater' : 'less', 0.95);
        return { statistic: observed, pValue, effect: observed };
      };
    },
  };
}

/** Macro F1 of the summed per-unit class counts, over the classes that occur. */
export const pooledF1 = pooledF1Estimator(
  'pooled-f1',
  'macro F1 (classes that occur) of the summed per-unit class counts; resampled units, the F1 recomputed',
  'macro',
);

/** The pooled F1 of each resample, from the resampled sums of every count. */
function resampledF1(
  counts: readonly (readonly number[])[],
  res: SharedResamples,
  average: F1Average,
): Deferred<Float64Array> {
  const width = counts[0]?.length ?? 0;
  const sums = Array.from({ length: width }, (_, j) => res.sums(Float64Array.from(counts, (c) => c[j] as number)));
  return () => {
    const parts = sums.map((s) => s());
    const out = new Float64Array(res.B);
    const sum = new Float64Array(width);
    for (let r = 0; r < out.length; r++) {
      for (let j = 0; j < width; j++) sum[j] = (parts[j] as Float64Array)[r] as number;
      out[r] = f1FromCounts(sum, average);
    }
    return out;
  };
}
