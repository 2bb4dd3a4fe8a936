import { checkPaired } from './check.js';
import { binomialCdf } from './distributions.js';

export interface McNemarResult {
  /** min(b, c), as statsmodels.stats.contingency_tables.mcnemar(exact=True) reports it. */
  statistic: number;
  /** Two-sided exact p-value. */
  pValue: number;
  /** Pairs where a is correct and b is not. */
  b: number;
  /** Pairs where b is correct and a is not. */
  c: number;
}

const FN = 'mcnemarExact';

/**
 * Exact McNemar test for paired binary outcomes (correct/incorrect of two systems on
 * the same units). Only the discordant pairs carry information: under H0 each of the
 * n = b + c discordant pairs favours either system with probability 1/2, so
 * min(b, c) ~ Binomial(n, 1/2) and the two-sided p-value is
 *
 *   p = min(1, 2 * P(X <= min(b, c))),  X ~ Binomial(b + c, 1/2)
 *
 * which is statsmodels' mcnemar(exact=True) and equals R's
 * binom.test(b, b + c, 0.5)$p.value (exact2x2::mcnemar.exact) since the
 * Binomial(n, 1/2) distribution is symmetric. With no discordant pairs p = 1.
 */
export function mcnemarExact(a: readonly boolean[], b: readonly boolean[]): McNemarResult {
  checkPaired(FN, a, b);
  let nb = 0;
  let nc = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x !== 'boolean' || typeof y !== 'boolean') {
      throw new TypeError(
        `${FN}: a[${i}] and b[${i}] must be booleans (correct / incorrect), got ${String(x)} and ${String(y)}`,
      );
    }
    if (x && !y) nb++;
    else if (!x && y) nc++;
  }
  return mcnemarExactFromCounts(nb, nc);
}

/** The exact McNemar test from the two discordant counts. */
export function mcnemarExactFromCounts(b: number, c: number): McNemarResult {
  for (const [name, v] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`${FN}: ${name} must be a non-negative integer count, got ${v}`);
  }
  const k = Math.min(b, c);
  const pValue = Math.min(1, 2 * binomialCdf(k, b + c, 0.5));
  return { statistic: k, pValue, b, c };
}
