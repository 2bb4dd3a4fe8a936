import type { Direction } from '../../results/metrics-file.js';
import { mean } from '../check.js';
import { meanDifferenceDistribution } from '../mean-distribution.js';
import { pairedFromDistribution } from '../paired-bootstrap.js';
import { pairedTTest } from '../paired-t-test.js';
import { permutationTest } from '../permutation-test.js';
import { wilcoxonSignedRank } from '../wilcoxon.js';
import type { Deferred, PairedResult, ResampleOptions, UnitStat } from './estimator.js';

/** The configured paired test on the per-unit scores; the effect is the mean difference. */
export function pairedOnScores(
  mine: readonly UnitStat[],
  theirs: readonly UnitStat[],
  direction: Direction,
  o: ResampleOptions,
): Deferred<PairedResult> {
  const a = mine.map((x) => x.s);
  const b = theirs.map((x) => x.s);
  const alternative = direction === 'higher' ? 'greater' : 'less';
  const effect = a.reduce((s, x, k) => s + x - (b[k] as number), 0) / a.length;
  if (o.test === 'paired-bootstrap') {
    const xa = Float64Array.from(a);
    const xb = Float64Array.from(b);
    // The bootstrap test's observed difference: mean(a) - mean(b), each summed on its own.
    const observed = mean(xa) - mean(xb);
    const dist = meanDifferenceDistribution(xa, xb, o.resamples);
    return () => ({
      statistic: observed,
      pValue: pairedFromDistribution(dist(), observed, alternative, 0.95).pValue,
      effect,
    });
  }
  const t =
    o.test === 'permutation'
      ? permutationTest(a, b, { B: o.B, seed: o.seed, alternative })
      : o.test === 'wilcoxon'
        ? wilcoxonSignedRank(a, b, { alternative })
        : pairedTTest(a, b, { alternative });
  return () => ({ statistic: t.statistic, pValue: t.pValue, effect });
}
