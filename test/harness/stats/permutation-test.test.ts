import { describe, expect, it } from 'vitest';
import { pairedTTest, permutationTest } from '../../../harness/stats/index.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { close, fixtures } from './fixtures.ts';

describe('permutationTest', () => {
  it('enumerates all 2^n sign assignments when 2^n <= B, matching scipy.stats.permutation_test', () => {
    // scipy.stats.permutation_test((d,), np.mean, permutation_type='samples') is exact for 2^n <= n_resamples.
    for (const c of fixtures.permutation) {
      const r = permutationTest(c.x, c.y, { B: 10_000, seed: 1, alternative: c.alternative });
      expect(r.exact).toBe(true);
      expect(r.resamples).toBe(2 ** c.x.length);
      if (!close(r.statistic, c.statistic, 1e-12, 1e-12)) expect.fail(`statistic ${r.statistic} vs ${c.statistic}`);
      if (!close(r.pValue, c.pValue, 1e-12))
        expect.fail(`n=${c.x.length} ${c.alternative}: p ${r.pValue} vs scipy ${c.pValue}`);
    }
  });

  it('hand-checkable exact case: d = (1, 2, 3)', () => {
    // The 8 signed sums are +-1 +-2 +-3: 6, 4, 2, 0, 0, -2, -4, -6. P(T >= 6) = 1/8, P(|T| >= 6) = 2/8.
    const a = [1, 2, 3];
    const b = [0, 0, 0];
    expect(permutationTest(a, b, { B: 100, seed: 1, alternative: 'greater' }).pValue).toBe(1 / 8);
    expect(permutationTest(a, b, { B: 100, seed: 1, alternative: 'two-sided' }).pValue).toBe(2 / 8);
    expect(permutationTest(a, b, { B: 100, seed: 1, alternative: 'less' }).pValue).toBe(1);
    // One pair: the sign is a coin flip.
    expect(permutationTest([2], [1], { B: 100, seed: 1, alternative: 'greater' }).pValue).toBe(0.5);
  });

  it('Monte Carlo p = (count + 1) / (B + 1) agrees with the exact enumeration within its error', () => {
    const rng = new Rng('perm-mc');
    const a = Array.from({ length: 16 }, () => rng.normal(0.4, 1));
    const b = Array.from({ length: 16 }, () => rng.normal(0, 1));
    const exact = permutationTest(a, b, { B: 2 ** 16, seed: 1, alternative: 'greater' });
    expect(exact.exact).toBe(true);
    const mc = permutationTest(a, b, { B: 20_000, seed: 2, alternative: 'greater' });
    expect(mc.exact).toBe(false);
    const se = Math.sqrt((exact.pValue * (1 - exact.pValue)) / 20_000);
    expect(Math.abs(mc.pValue - exact.pValue)).toBeLessThan(4.5 * se + 1 / 20_001);
    // Counted as (count + 1) / (B + 1): a multiple of 1 / (B + 1).
    expect(Math.abs(mc.pValue * 20_001 - Math.round(mc.pValue * 20_001))).toBeLessThan(1e-6);
  });

  it('is close to the paired t-test for a large sample', () => {
    const rng = new Rng('perm-t');
    const a = Array.from({ length: 400 }, () => rng.normal(0.12, 1));
    const b = Array.from({ length: 400 }, () => rng.normal(0, 1));
    const t = pairedTTest(a, b, { alternative: 'two-sided' }).pValue;
    const p = permutationTest(a, b, { B: 20_000, seed: 3, alternative: 'two-sided' }).pValue;
    expect(Math.abs(p - t)).toBeLessThan(0.015);
  });

  it('never returns 0 and floors at 1 / (B + 1) for an overwhelming effect', () => {
    const a = Array.from({ length: 200 }, (_, i) => 10 + (i % 7));
    const b = Array.from({ length: 200 }, (_, i) => i % 5);
    const r = permutationTest(a, b, { B: 999, seed: 4, alternative: 'greater' });
    expect(r.pValue).toBe(1 / 1000);
    expect(permutationTest(a, b, { B: 999, seed: 4, alternative: 'less' }).pValue).toBe(1);
  });

  it('identical systems: every assignment ties the observed 0, p = 1', () => {
    const a = [0.2, 0.5, 0.9, 0.1, 0.7, 0.3, 0.3, 0.8, 0.6, 0.4, 0.5, 0.2, 0.9, 0.1, 0.6];
    for (const alternative of ['greater', 'less', 'two-sided'] as const) {
      expect(permutationTest(a, a, { B: 1000, seed: 5, alternative }).pValue).toBe(1);
    }
  });

  it('counts ties with the observed statistic on discrete differences', () => {
    // 40 pairs with d in {-1, 0, 1}: sums are integers, the observed one must tie with itself
    // and with every assignment that flips only zeros.
    const a = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const b = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const r = permutationTest(a, b, { B: 5000, seed: 6, alternative: 'two-sided' });
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThanOrEqual(1);
  });

  it('is deterministic in the seed', () => {
    const rng = new Rng('perm-det');
    const a = Array.from({ length: 50 }, () => rng.normal(0.1, 1));
    const b = Array.from({ length: 50 }, () => rng.normal(0, 1));
    const opts = { B: 2000, alternative: 'two-sided' as const };
    const r1 = permutationTest(a, b, { ...opts, seed: 11 });
    expect(permutationTest(a, b, { ...opts, seed: 11 })).toEqual(r1);
    expect(permutationTest(a, b, { ...opts, seed: '11' })).toEqual(r1); // the Rng seeds by String(seed)
    expect(permutationTest(a, b, { ...opts, seed: 12 }).pValue).not.toBe(r1.pValue);
  });

  it('requires a direction, B, a seed and paired input', () => {
    // @ts-expect-error: the alternative is required
    expect(() => permutationTest([1, 2], [2, 3], { B: 10, seed: 1 })).toThrow(/alternative is required/);
    // @ts-expect-error: the seed is required
    expect(() => permutationTest([1, 2], [2, 3], { B: 10, alternative: 'greater' })).toThrow(/seed/);
    expect(() => permutationTest([1, 2], [2, 3], { B: 0, seed: 1, alternative: 'greater' })).toThrow(
      /positive integer/,
    );
    expect(() => permutationTest([], [], { B: 10, seed: 1, alternative: 'greater' })).toThrow(/empty/);
    expect(() => permutationTest([1, 2], [2], { B: 10, seed: 1, alternative: 'greater' })).toThrow(/same length/);
  });
});
