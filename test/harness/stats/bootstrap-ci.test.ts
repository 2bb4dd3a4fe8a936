import { describe, expect, it } from 'vitest';
import { bootstrapCi } from '../../../harness/stats/index.ts';
import { bcaLevels, jackknife } from '../../../harness/stats/bootstrap-ci.ts';
import { quantiles } from '../../../harness/stats/quantile.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { fixtures } from './fixtures.ts';

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

/** Pearson correlation of the pairs selected by the (resampled) indices. */
function correlationOf(xs: readonly number[], ys: readonly number[]): (idx: number[]) => number {
  return (idx) => {
    let mx = 0;
    let my = 0;
    for (const i of idx) {
      mx += xs[i] as number;
      my += ys[i] as number;
    }
    mx /= idx.length;
    my /= idx.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (const i of idx) {
      const dx = (xs[i] as number) - mx;
      const dy = (ys[i] as number) - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('bootstrapCi against scipy.stats.bootstrap', () => {
  // scipy's intervals were computed 20 times with different seeds (B = 10,000); ours must lie
  // within the Monte-Carlo spread: 4.5 standard deviations of a difference of two runs.
  for (const c of fixtures.bootstrap) {
    it(`${c.name}, ${c.method}`, () => {
      const seedSd = Math.sqrt(1 + 1 / c.runs);
      let r;
      if (c.data.length === 2) {
        // Efron & Tibshirani (1993), An Introduction to the Bootstrap, Table 3.1: law school data
        // (LSAT, GPA of 15 schools), correlation 0.776. Pairs are resampled through their indices.
        const [lsat, gpa] = c.data as [number[], number[]];
        r = bootstrapCi(range(lsat.length), {
          statistic: correlationOf(lsat, gpa),
          B: c.B,
          level: 0.95,
          seed: 2024,
          method: c.method,
        });
      } else {
        r = bootstrapCi(c.data[0] as number[], { B: c.B, level: 0.95, seed: 2024, method: c.method });
      }
      expect(r.point).toBeCloseTo(c.point, 12);
      expect(Math.abs(r.lo - c.loMean)).toBeLessThan(4.5 * c.loSd * seedSd);
      expect(Math.abs(r.hi - c.hiMean)).toBeLessThan(4.5 * c.hiSd * seedSd);
      expect(r.method).toBe(c.method);
      expect(r.B).toBe(c.B);
    });
  }

  it('computes the BCa levels and interval exactly as scipy on the same bootstrap replicates', () => {
    // make_fixtures.py stores one bootstrap distribution (B = 2000) with scipy's _bca_interval output:
    // z0 from the 'mean' percentile of score, acceleration from the jackknife, type-7 quantiles.
    const f = fixtures.bcaFormula;
    const x = Float64Array.from(f.data);
    const point = mean(f.data);
    const [a1, a2] = bcaLevels(Float64Array.from(f.thetaStar), point, jackknife(x, undefined), f.alpha);
    expect(a1).toBeCloseTo(f.alpha1, 12);
    expect(a2).toBeCloseTo(f.alpha2, 12);
    const [lo, hi] = quantiles(Float64Array.from(f.thetaStar), [a1, a2]);
    expect(lo).toBeCloseTo(f.lo, 12);
    expect(hi).toBeCloseTo(f.hi, 12);
    const [plo, phi] = quantiles(Float64Array.from(f.thetaStar), [f.alpha, 1 - f.alpha]);
    expect(plo).toBeCloseTo(f.percentileLo, 12);
    expect(phi).toBeCloseTo(f.percentileHi, 12);
    // The generic jackknife (statistic called on n - 1 values) gives the same leave-one-out means.
    const generic = jackknife(x, (v) => mean(v));
    jackknife(x, undefined).forEach((v, i) => expect(generic[i]).toBeCloseTo(v, 13));
  });
});

describe('bootstrapCi properties', () => {
  it('covers the true mean about 95% of the time (normal data, n = 30)', () => {
    const rng = new Rng('coverage-mean');
    let covered = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const x = Array.from({ length: 30 }, () => rng.normal(5, 2));
      const r = bootstrapCi(x, { B: 2000, level: 0.95, seed: t });
      if (r.lo <= 5 && 5 <= r.hi) covered++;
    }
    // The percentile interval of the mean under-covers slightly at n = 30 (about 0.93-0.94).
    expect(covered / trials).toBeGreaterThan(0.9);
    expect(covered / trials).toBeLessThan(0.98);
  });

  it('covers a known correlation (bivariate normal, rho = 0.5, n = 40), percentile and BCa', () => {
    const rng = new Rng('coverage-corr');
    const rho = 0.5;
    const hits = { percentile: 0, bca: 0 };
    const trials = 150;
    for (let t = 0; t < trials; t++) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = 0; i < 40; i++) {
        const z1 = rng.normal();
        const z2 = rng.normal();
        xs.push(z1);
        ys.push(rho * z1 + Math.sqrt(1 - rho * rho) * z2);
      }
      for (const method of ['percentile', 'bca'] as const) {
        const r = bootstrapCi(range(40), { statistic: correlationOf(xs, ys), B: 1000, level: 0.95, seed: t, method });
        if (r.lo <= rho && rho <= r.hi) hits[method]++;
      }
    }
    for (const method of ['percentile', 'bca'] as const) {
      expect(hits[method] / trials).toBeGreaterThan(0.86);
      expect(hits[method] / trials).toBeLessThan(0.99);
    }
  });

  it('contains the point estimate and narrows as n grows (about 1/sqrt(n))', () => {
    const rng = new Rng('narrow');
    const big = Array.from({ length: 1600 }, () => rng.normal(0, 1));
    const w = (n: number) => {
      const r = bootstrapCi(big.slice(0, n), { B: 4000, level: 0.95, seed: 1 });
      expect(r.lo).toBeLessThanOrEqual(r.point);
      expect(r.hi).toBeGreaterThanOrEqual(r.point);
      return r.hi - r.lo;
    };
    const w100 = w(100);
    const w400 = w(400);
    const w1600 = w(1600);
    expect(w400 / w100).toBeGreaterThan(0.4);
    expect(w400 / w100).toBeLessThan(0.6);
    expect(w1600 / w400).toBeGreaterThan(0.4);
    expect(w1600 / w400).toBeLessThan(0.6);
  });

  it('BCa shifts the interval of a right-skewed mean to the right of the percentile interval', () => {
    const rng = new Rng('skew');
    const x = Array.from({ length: 40 }, () => Math.log(1 - rng.next()) ** 2);
    const p = bootstrapCi(x, { B: 10_000, level: 0.95, seed: 3 });
    const b = bootstrapCi(x, { B: 10_000, level: 0.95, seed: 3, method: 'bca' });
    expect(b.point).toBe(p.point);
    expect(b.lo).toBeGreaterThan(p.lo);
    expect(b.hi).toBeGreaterThan(p.hi);
    // On symmetric data the two nearly agree.
    const s = Array.from({ length: 200 }, () => rng.normal(0, 1));
    const ps = bootstrapCi(s, { B: 10_000, level: 0.95, seed: 3 });
    const bs = bootstrapCi(s, { B: 10_000, level: 0.95, seed: 3, method: 'bca' });
    expect(Math.abs(bs.lo - ps.lo)).toBeLessThan(0.05 * (ps.hi - ps.lo));
    expect(Math.abs(bs.hi - ps.hi)).toBeLessThan(0.05 * (ps.hi - ps.lo));
  });

  it('a statistic may sort its scratch input (median), percentile and BCa', () => {
    const median = (v: number[]) => {
      v.sort((p, q) => p - q);
      const m = v.length >> 1;
      return v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
    };
    const x = [5.1, 2.3, 9.8, 4.4, 7.7, 3.2, 6.5, 8.1, 1.9, 5.5, 4.9];
    const copy = [...x];
    const r = bootstrapCi(x, { B: 3000, level: 0.95, seed: 6, statistic: median, method: 'bca' });
    expect(x).toEqual(copy); // the caller's array is never handed to the statistic
    expect(r.point).toBe(5.1);
    // Leave-one-out medians of 11 values, as if computed on fresh copies.
    const jack = jackknife(Float64Array.from(x), median);
    const fresh = x.map((_, i) => median(x.filter((__, j) => j !== i)));
    expect([...jack]).toEqual(fresh);
    expect(r.lo).toBeLessThanOrEqual(r.point);
    expect(r.hi).toBeGreaterThanOrEqual(r.point);
  });

  it('a higher level gives a wider interval', () => {
    const x = [3.1, 4.7, 2.2, 5.9, 4.4, 3.8, 6.1, 2.9, 4.0, 5.2, 3.3, 4.8];
    const r90 = bootstrapCi(x, { B: 5000, level: 0.9, seed: 8 });
    const r99 = bootstrapCi(x, { B: 5000, level: 0.99, seed: 8 });
    expect(r99.lo).toBeLessThan(r90.lo);
    expect(r99.hi).toBeGreaterThan(r90.hi);
  });

  it('the mean fast path resamples exactly what a generic statistic sees', () => {
    const rng = new Rng('fast-vs-generic');
    const x = Array.from({ length: 37 }, () => rng.normal(1, 3));
    for (const method of ['percentile', 'bca'] as const) {
      const fast = bootstrapCi(x, { B: 3000, level: 0.95, seed: 'same', method });
      const slow = bootstrapCi(x, { B: 3000, level: 0.95, seed: 'same', method, statistic: mean });
      expect(slow.lo).toBeCloseTo(fast.lo, 12);
      expect(slow.hi).toBeCloseTo(fast.hi, 12);
      expect(slow.point).toBeCloseTo(fast.point, 14);
    }
  });

  it('binary data (resampled through binomial counts) give the normal-theory interval of a proportion', () => {
    const rng = new Rng('binary');
    const x = Array.from({ length: 1000 }, () => (rng.next() < 0.3 ? 1 : 0));
    const p = mean(x);
    const r = bootstrapCi(x, { B: 20_000, level: 0.95, seed: 5 });
    const half = 1.959964 * Math.sqrt((p * (1 - p)) / 1000);
    expect(Math.abs(r.lo - (p - half))).toBeLessThan(0.002);
    expect(Math.abs(r.hi - (p + half))).toBeLessThan(0.002);
    // Bootstrap means of 0/1 data are multiples of 1/n.
    expect(Math.abs(r.lo * 1000 - Math.round(r.lo * 1000))).toBeLessThan(1e-9);
    // The index-resampling path (a generic statistic) agrees within Monte-Carlo error.
    const g = bootstrapCi(x, { B: 20_000, level: 0.95, seed: 5, statistic: mean });
    expect(Math.abs(g.lo - r.lo)).toBeLessThan(0.003);
    expect(Math.abs(g.hi - r.hi)).toBeLessThan(0.003);
  });

  it('one value gives [v, v]; constant data give a zero-width interval', () => {
    expect(bootstrapCi([4.2], { B: 1000, level: 0.95, seed: 1 })).toMatchObject({ lo: 4.2, hi: 4.2, point: 4.2 });
    expect(bootstrapCi([4.2], { B: 1000, level: 0.95, seed: 1, method: 'bca' })).toMatchObject({ lo: 4.2, hi: 4.2 });
    const c = bootstrapCi([7, 7, 7, 7, 7], { B: 1000, level: 0.95, seed: 1, method: 'bca' });
    expect([c.lo, c.hi]).toEqual([7, 7]);
    const m = bootstrapCi([2, 2, 2], { B: 100, level: 0.95, seed: 1, statistic: (v) => Math.max(...v) });
    expect([m.lo, m.point, m.hi]).toEqual([2, 2, 2]);
  });

  it('is deterministic in the seed', () => {
    const x = [0.3, 1.2, -0.4, 2.2, 0.9, 1.7, 0.1, -1.3, 0.8, 1.1, 0.5, 2.9, -0.2];
    const a = bootstrapCi(x, { B: 2000, level: 0.95, seed: 42 });
    expect(bootstrapCi(x, { B: 2000, level: 0.95, seed: 42 })).toEqual(a);
    const b = bootstrapCi(x, { B: 2000, level: 0.95, seed: 43 });
    expect([b.lo, b.hi]).not.toEqual([a.lo, a.hi]);
    const g1 = bootstrapCi(x, { B: 500, level: 0.9, seed: 'g', statistic: (v) => Math.min(...v) + Math.max(...v) });
    const g2 = bootstrapCi(x, { B: 500, level: 0.9, seed: 'g', statistic: (v) => Math.min(...v) + Math.max(...v) });
    expect(g2).toEqual(g1);
  });
});

describe('cluster bootstrap', () => {
  /** G clusters of m units: a shared cluster effect (sd tau) plus unit noise (sd 1). */
  function clustered(G: number, m: number, tau: number, seed: string): { values: number[]; clusters: string[] } {
    const rng = new Rng(seed);
    const values: number[] = [];
    const clusters: string[] = [];
    for (let g = 0; g < G; g++) {
      const u = rng.normal(0, tau);
      for (let j = 0; j < m; j++) {
        values.push(u + rng.normal(0, 1));
        clusters.push(`user${g}`);
      }
    }
    return { values, clusters };
  }

  it('is wider than the unit bootstrap when units within a cluster are correlated', () => {
    const { values, clusters } = clustered(40, 10, 1.5, 'clustered');
    const unit = bootstrapCi(values, { B: 4000, level: 0.95, seed: 1 });
    const cluster = bootstrapCi(values, { B: 4000, level: 0.95, seed: 1, clusters });
    expect(cluster.point).toBe(unit.point);
    // Design effect 1 + (m - 1) ICC = 1 + 9 * 2.25 / 3.25 ~ 7.2: about 2.7 times wider.
    expect((cluster.hi - cluster.lo) / (unit.hi - unit.lo)).toBeGreaterThan(1.8);
    // Independent units: about the same width.
    const indep = clustered(40, 10, 0, 'independent');
    const u0 = bootstrapCi(indep.values, { B: 4000, level: 0.95, seed: 1 });
    const c0 = bootstrapCi(indep.values, { B: 4000, level: 0.95, seed: 1, clusters: indep.clusters });
    expect((c0.hi - c0.lo) / (u0.hi - u0.lo)).toBeGreaterThan(0.75);
    expect((c0.hi - c0.lo) / (u0.hi - u0.lo)).toBeLessThan(1.3);
  });

  it('with one unit per cluster it is the unit bootstrap', () => {
    const rng = new Rng('singletons');
    const x = Array.from({ length: 25 }, () => rng.normal(0, 1));
    const unit = bootstrapCi(x, { B: 2000, level: 0.95, seed: 9 });
    const cl = bootstrapCi(x, { B: 2000, level: 0.95, seed: 9, clusters: range(25) });
    expect(cl.lo).toBeCloseTo(unit.lo, 12);
    expect(cl.hi).toBeCloseTo(unit.hi, 12);
  });

  it('hands the concatenated units of the drawn clusters to a generic statistic', () => {
    const { values, clusters } = clustered(12, 3, 1, 'concat');
    const fast = bootstrapCi(values, { B: 1500, level: 0.9, seed: 4, clusters, method: 'bca' });
    const lengths = new Set<number>();
    const slow = bootstrapCi(values, {
      B: 1500,
      level: 0.9,
      seed: 4,
      clusters,
      method: 'bca',
      statistic: (v) => {
        lengths.add(v.length);
        return mean(v);
      },
    });
    expect(slow.lo).toBeCloseTo(fast.lo, 12);
    expect(slow.hi).toBeCloseTo(fast.hi, 12);
    // 12 clusters of 3 units: every resample has 36 values; the jackknife leaves out one cluster (33).
    expect([...lengths].sort()).toEqual([33, 36]);
  });

  it('accepts unequal cluster sizes and mixed key types, and one cluster gives [point, point]', () => {
    const values = [1, 2, 3, 10, 11, 20];
    const r = bootstrapCi(values, { B: 2000, level: 0.95, seed: 2, clusters: ['a', 'a', 'a', 7, 7, 'c'] });
    expect(r.lo).toBeLessThanOrEqual(r.point);
    expect(r.hi).toBeGreaterThanOrEqual(r.point);
    const one = bootstrapCi([1, 2, 3], { B: 100, level: 0.95, seed: 2, clusters: ['u', 'u', 'u'] });
    expect([one.lo, one.hi]).toEqual([2, 2]);
    expect(() => bootstrapCi([1, 2, 3], { B: 100, level: 0.95, seed: 2, clusters: ['u', 'v'] })).toThrow(/aligned/);
  });
});

describe('bootstrapCi input', () => {
  it('rejects bad input with clear errors, never NaN', () => {
    expect(() => bootstrapCi([], { B: 100, level: 0.95, seed: 1 })).toThrow(/values is empty/);
    expect(() => bootstrapCi([1, NaN], { B: 100, level: 0.95, seed: 1 })).toThrow(/finite/);
    expect(() => bootstrapCi([1, 2], { B: 0, level: 0.95, seed: 1 })).toThrow(/B/);
    expect(() => bootstrapCi([1, 2], { B: 10.5, level: 0.95, seed: 1 })).toThrow(/B/);
    expect(() => bootstrapCi([1, 2], { B: 100, level: 95, seed: 1 })).toThrow(/level/);
    // @ts-expect-error: the seed is required
    expect(() => bootstrapCi([1, 2], { B: 100, level: 0.95 })).toThrow(/seed/);
    // @ts-expect-error: unknown method
    expect(() => bootstrapCi([1, 2], { B: 100, level: 0.95, seed: 1, method: 'basic' })).toThrow(/method/);
    expect(() => bootstrapCi([1, 2, 3], { B: 100, level: 0.95, seed: 1, statistic: () => NaN })).toThrow(
      /statistic returned NaN/,
    );
  });
});
