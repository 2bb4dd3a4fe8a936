import { type F1Average, pooledF1 as pooledF1Of } from '../../metrics/pooled-f1.js';
import { bootstrapCi } from '../bootstrap-ci.js';
import { pairedBootstrapTest } from '../paired-bootstrap.js';
import type { Estimator } from './estimator.js';
import { pairedOnScores } from './paired-scores.js';

/**
 * An F1 pooled over units: each unit brings (tp, fp, fn) per class, the value
 * is the F1 of the summed counts under `average`. The bootstrap resamples
 * units and recomputes it; the paired bootstrap resamples both methods' units
 * together and compares their recomputed F1s. Other paired tests compare the
 * per-unit scores. The pooled estimators differ only in the average.
 */
export function pooledF1Estimator(name: string, description: string, average: F1Average): Estimator {
  return {
    name,
    description,
    interval(_m, units, o) {
      if (units.length === 0) return null;
      const counts = units.map((x) => x.counts as readonly number[]);
      return bootstrapCi(
        units.map((_, k) => k),
        {
          B: o.B,
          level: o.level,
          seed: o.seed,
          method: o.ci,
          statistic: (idx) => pooledF1Of(counts, idx, average),
        },
      );
    },
    paired(mine, theirs, direction, o) {
      if (o.test !== 'paired-bootstrap' || mine.some((x) => !x.counts) || theirs.some((x) => !x.counts))
        return pairedOnScores(mine, theirs, direction, o);
      // The bootstrap test takes one statistic of a number sample, so the sample
      // holds unit indices, offset by n on the baseline's side to tell them apart.
      const a = mine.map((x) => x.counts as readonly number[]);
      const b = theirs.map((x) => x.counts as readonly number[]);
      const n = a.length;
      const idx = a.map((_, k) => k);
      const statistic = (sample: number[]) =>
        (sample[0] as number) < n
          ? pooledF1Of(a, sample, average)
          : pooledF1Of(
              b,
              sample.map((k) => k - n),
              average,
            );
      const t = pairedBootstrapTest(
        idx,
        idx.map((k) => k + n),
        { B: o.B, seed: o.seed, alternative: direction === 'higher' ? 'greater' : 'less', statistic },
      );
      return { statistic: t.statistic, pValue: t.pValue, effect: t.statistic };
    },
  };
}

/** Macro F1 of the summed per-unit class counts, over the classes that occur. */
export const pooledF1 = pooledF1Estimator(
  'pooled-f1',
  'macro F1 (classes that occur) of the summed per-unit class counts; resampled units, the F1 recomputed',
  'macro',
);
