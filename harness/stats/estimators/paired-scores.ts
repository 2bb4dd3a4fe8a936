import type { Direction } from '../../results/metrics-file.js';
import { pairedBootstrapTest } from '../paired-bootstrap.js';
import { pairedTTest } from '../paired-t-test.js';
import { permutationTest } from '../permutation-test.js';
import { wilcoxonSignedRank } from '../wilcoxon.js';
import type { PairedResult, ResampleOptions, UnitStat } from './estimator.js';

/** The configured paired test on the per-unit scores; the effect is the mean difference. */
export function pairedOnScores(
  mine: readonly UnitStat[],
  theirs: readonly UnitStat[],
  direction: Direction,
  o: ResampleOptions,
): PairedResult {
  const a = mine.map((x) => x.s);
  const b = theirs.map((x) => x.s);
  const alternative = direction === 'higher' ? 'greater' : 'less';
  const t =
    o.test === 'paired-bootstrap'
      ? pairedBootstrapTest(a, b, { B: o.B, seed: o.seed, alternative })
      : o.test === 'permutation'
        ? permutationTest(a, b, { B: o.B, seed: o.seed, alternative })
        : o.test === 'wilcoxon'
          ? wilcoxonSignedRank(a, b, { alternative })
          : pairedTTest(a, b, { alternative });
  const effect = a.reduce((s, x, k) => s + x - (b[k] as number), 0) / a.length;
  return { statistic: t.statistic, pValue: t.pValue, effect };
}
