import { describe, expect, it } from 'vitest';
import { bootstrapCi, pairedBootstrapTest, pairedTTest } from '../../../harness/stats/index.ts';
import { Rng } from '../../../harness/util/rng.ts';

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

function sample(seed: string, n: number, shift: number, sd = 1): { a: number[]; b: number[] } {
  const rng = new Rng(seed);
  const b = Array.from({ length: n }, () => rng.normal(0, 1));
  const a = b.map((v) => v + shift + rng.normal(0, sd));
  return { a, b };
}

describe('pairedBootstrapTest', () => {
  it('reports the observed difference, the mean difference and a CI of the difference', () => {
    const { a, b } = sample('basic', 60, 0.3);
    const r = pairedBootstrapTest(a, b, { B: 5000, seed: 1, alternative: 'greater' });
    expect(r.statistic).toBeCloseTo(mean(a) - mean(b), 14);
    expect(r.effectSize).toBeCloseTo(mean(a) - mean(b), 14);
    expect(r.ci.lo).toBeLessThan(r.statistic);
    expect(r.ci.hi).toBeGreaterThan(r.statistic);
    expect(r.ci.level).toBe(0.95);
    expect(r.B).toBe(5000);
  });

  it('its CI is the percentile bootstrap CI of the differences for the same seed (same resampled units)', () => {
    const { a, b } = sample('same-units', 45, 0.2);
    const d = a.map((v, i) => v - (b[i] as number));
    const r = pairedBootstrapTest(a, b, { B: 4000, seed: 'shared', alternative: 'two-sided' });
    const ci = bootstrapCi(d, { B: 4000, level: 0.95, seed: 'shared' });
    expect(r.ci.lo).toBeCloseTo(ci.lo, 12);
    expect(r.ci.hi).toBeCloseTo(ci.hi, 12);
  });

  it('p-values follow the shifted-null formula: multiples of 1/(B+1), never 0, p(greater) + p(less) >= 1', () => {
    const { a, b } = sample('formula', 30, 0.25);
    const B = 1999;
    const g = pairedBootstrapTest(a, b, { B, seed: 7, alternative: 'greater' }).pValue;
    const l = pairedBootstrapTest(a, b, { B, seed: 7, alternative: 'less' }).pValue;
    const t = pairedBootstrapTest(a, b, { B, seed: 7, alternative: 'two-sided' }).pValue;
    for (const p of [g, l, t]) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(Math.abs(p * (B + 1) - Math.round(p * (B + 1)))).toBeLessThan(1e-7);
    }
    // Every replicate is counted by one side or (on a tie) both, plus the two +1s.
    expect(g + l).toBeGreaterThanOrEqual(1 + 1 / (B + 1) - 1e-12);
    // The effect is positive: 'greater' is the small one, and the two-sided p is about twice it.
    expect(g).toBeLessThan(0.5);
    expect(t).toBeGreaterThan(g);
    expect(t).toBeLessThan(2.5 * g + 0.01);
  });

  it('agrees with the paired t-test on a large sample', () => {
    const { a, b } = sample('vs-t', 400, 0.12);
    for (const alternative of ['two-sided', 'greater'] as const) {
      const t = pairedTTest(a, b, { alternative }).pValue;
      const p = pairedBootstrapTest(a, b, { B: 20_000, seed: 3, alternative }).pValue;
      expect(Math.abs(p - t)).toBeLessThan(0.01);
    }
  });

  it('is calibrated under the null: about 5% of p-values fall below 0.05', () => {
    let rejections = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const { a, b } = sample(`null${t}`, 50, 0);
      if (pairedBootstrapTest(a, b, { B: 500, seed: t, alternative: 'two-sided' }).pValue <= 0.05) rejections++;
    }
    expect(rejections / trials).toBeGreaterThan(0.01);
    expect(rejections / trials).toBeLessThan(0.11);
  });

  it('floors at 1/(B+1) for an overwhelming effect and gives p near 1 in the wrong direction', () => {
    const { a, b } = sample('strong', 200, 3);
    expect(pairedBootstrapTest(a, b, { B: 999, seed: 1, alternative: 'greater' }).pValue).toBe(1 / 1000);
    expect(pairedBootstrapTest(a, b, { B: 999, seed: 1, alternative: 'less' }).pValue).toBe(1);
  });

  it('identical systems give p = 1 whatever the direction', () => {
    const { a } = sample('identical', 40, 0);
    for (const alternative of ['greater', 'less', 'two-sided'] as const) {
      expect(pairedBootstrapTest(a, a, { B: 500, seed: 1, alternative }).pValue).toBe(1);
    }
  });

  it('binary outcomes (differences in {-1, 0, 1}, resampled through multinomial counts) agree with index resampling', () => {
    const rng = new Rng('binary-paired');
    const b = Array.from({ length: 1000 }, () => (rng.next() < 0.6 ? 1 : 0));
    const a = b.map((v) => (rng.next() < 0.1 ? 1 - v : v) | (rng.next() < 0.04 ? 1 : 0));
    const fast = pairedBootstrapTest(a, b, { B: 20_000, seed: 2, alternative: 'greater' });
    const slow = pairedBootstrapTest(a, b, { B: 20_000, seed: 2, alternative: 'greater', statistic: mean });
    expect(fast.statistic).toBeCloseTo(slow.statistic, 14);
    const se = Math.sqrt((slow.pValue * (1 - slow.pValue)) / 20_000);
    expect(Math.abs(fast.pValue - slow.pValue)).toBeLessThan(6 * se + 0.002);
    expect(Math.abs(fast.ci.lo - slow.ci.lo)).toBeLessThan(0.003);
    expect(Math.abs(fast.ci.hi - slow.ci.hi)).toBeLessThan(0.003);
  });

  it('takes a custom statistic (median difference of the two systems)', () => {
    const median = (v: number[]) => {
      const s = [...v].sort((x, y) => x - y);
      const m = s.length >> 1;
      return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
    };
    const { a, b } = sample('median', 41, 1);
    const r = pairedBootstrapTest(a, b, { B: 2000, seed: 5, alternative: 'greater', statistic: median });
    expect(r.statistic).toBeCloseTo(median(a) - median(b), 14);
    expect(r.effectSize).toBeCloseTo(mean(a) - mean(b), 14);
    expect(r.pValue).toBeLessThan(0.05);
  });

  it('is deterministic in the seed and does not depend on what was computed before', () => {
    const { a, b } = sample('det', 80, 0.1);
    const opts = { B: 3000, alternative: 'two-sided' as const };
    const cold = pairedBootstrapTest(a, b, { ...opts, seed: 21 });
    bootstrapCi(a, { B: 3000, level: 0.95, seed: 21 });
    bootstrapCi(b, { B: 3000, level: 0.95, seed: 21 });
    const warm = pairedBootstrapTest(a, b, { ...opts, seed: 21 });
    expect(warm).toEqual(cold);
    bootstrapCi(b, { B: 3000, level: 0.95, seed: 21 });
    expect(pairedBootstrapTest(a, b, { ...opts, seed: 21 })).toEqual(cold);
    expect(pairedBootstrapTest(a, b, { ...opts, seed: 22 }).ci).not.toEqual(cold.ci);
  });

  it('needs at least 2 pairs, a direction and paired input', () => {
    expect(() => pairedBootstrapTest([1], [0], { B: 100, seed: 1, alternative: 'greater' })).toThrow(
      /needs at least 2 pairs/,
    );
    expect(() => pairedBootstrapTest([], [], { B: 100, seed: 1, alternative: 'greater' })).toThrow(/empty/);
    expect(() => pairedBootstrapTest([1, 2], [1], { B: 100, seed: 1, alternative: 'greater' })).toThrow(/same length/);
    // @ts-expect-error: the alternative is required
    expect(() => pairedBootstrapTest([1, 2], [0, 1], { B: 100, seed: 1 })).toThrow(/alternative is required/);
    expect(() => pairedBootstrapTest([1, 2], [0, Infinity], { B: 100, seed: 1, alternative: 'less' })).toThrow(
      /finite/,
    );
  });
});
