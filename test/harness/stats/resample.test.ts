import { describe, expect, it } from 'vitest';
import { fewValues, resampleMeansFewValues, signFlipSums, Stream } from '../../../harness/stats/resample.ts';
import { SharedResamples } from '../../../harness/stats/shared-resamples.ts';
import { Rng } from '../../../harness/util/rng.ts';

const moments = (v: Float64Array) => {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return { mean: m, sd: Math.sqrt(s / (v.length - 1)) };
};

describe('resampling streams and kernels', () => {
  it('draws uniform indices without modulo bias (chi-square over n = 1000, where 2^16 mod n != 0)', () => {
    const s = new Stream('uniform');
    const n = 1000;
    const counts = new Float64Array(n);
    const draws = 10_000_000;
    for (let i = 0; i < draws; i++) {
      const j = s.index(n);
      counts[j] = (counts[j] as number) + 1;
    }
    const e = draws / n;
    let chi2 = 0;
    for (const c of counts) chi2 += (c - e) ** 2 / e;
    // 999 degrees of freedom: mean 999, sd 44.7. The biased map floor(u16 * n / 2^16) gives 536
    // of the indices probability 66/65536 and the others 65/65536, which adds about 580 to the
    // expected chi-square at 10^7 draws.
    expect(chi2).toBeLessThan(999 + 5 * 44.7);
  });

  it('the mean kernel sums exactly the indices Stream.index draws', () => {
    const rng = new Rng('kernel');
    for (const n of [1, 2, 3, 5, 7, 64, 333]) {
      const x = Float64Array.from({ length: n }, () => rng.normal(0, 1));
      const B = 50;
      const fast = new Float64Array(B);
      fast.set(new SharedResamples(n, B).means(x)());
      const s = new Stream(n);
      for (let r = 0; r < B; r++) {
        s.beginResample();
        let sum = 0;
        for (let i = 0; i < n; i++) sum += x[s.index(n)] as number;
        expect(fast[r]).toBeCloseTo(sum / n, 13);
      }
    }
  });

  it('drawIndices gives the same indices as successive Stream.index calls', () => {
    for (const n of [1, 3, 1000, 65536, 70_000]) {
      const idx = new Int32Array(257);
      const s1 = new Stream(`d${n}`);
      const s2 = new Stream(`d${n}`);
      for (let r = 0; r < 3; r++) {
        s1.drawIndices(n, idx);
        s2.beginResample();
        for (let i = 0; i < idx.length; i++) expect(idx[i]).toBe(s2.index(n));
      }
    }
  });

  it('more than 65536 values: one 32-bit output per index, the means still match Stream.index', () => {
    const n = 70_000;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const B = 3;
    const fast = new SharedResamples('wide', B).means(x)();
    const s = new Stream('wide');
    for (let r = 0; r < B; r++) {
      s.beginResample();
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[s.index(n)] as number;
      expect(fast[r]).toBe(sum / n);
    }
  });

  it('the sign-flip kernel negates element i when bit i mod 32 of output i / 32 is set', () => {
    const rng = new Rng('flip');
    for (const n of [1, 5, 31, 32, 33, 70]) {
      const x = Float64Array.from({ length: n }, () => Math.round(rng.normal(0, 10)));
      const B = 20;
      const fast = new Float64Array(B);
      signFlipSums(x, B, new Stream(`f${n}`), fast);
      const s = new Stream(`f${n}`);
      for (let r = 0; r < B; r++) {
        let sum = 0;
        let word = 0;
        for (let i = 0; i < n; i++) {
          if (i % 32 === 0) word = s.next();
          sum += (word >>> (i % 32)) & 1 ? -(x[i] as number) : (x[i] as number);
        }
        expect(fast[r]).toBe(sum);
      }
    }
  });

  it('multinomial-count resampling of few distinct values has the bootstrap distribution of the mean', () => {
    // Values 0, 0.5, 1 with counts 50, 30, 20: the resample mean has mean 0.35 and
    // variance sigma^2 / n with sigma^2 = E[x^2] - 0.35^2 = 0.275 - 0.1225 = 0.1525.
    const x = Float64Array.from([...Array(50).fill(0), ...Array(30).fill(0.5), ...Array(20).fill(1)]);
    const few = fewValues(x, 8);
    expect(few).toEqual({ values: [0, 0.5, 1], counts: [50, 30, 20] });
    const B = 40_000;
    const a = new Float64Array(B);
    resampleMeansFewValues(few!.values, few!.counts, B, new Stream('few'), a);
    const b = new Float64Array(B);
    b.set(new SharedResamples('idx', B).means(x)());
    const ma = moments(a);
    const mb = moments(b);
    const sd = Math.sqrt(0.1525 / 100);
    expect(Math.abs(ma.mean - 0.35)).toBeLessThan(5 * (sd / Math.sqrt(B)));
    expect(Math.abs(ma.sd - sd)).toBeLessThan(0.02 * sd);
    expect(Math.abs(mb.sd - sd)).toBeLessThan(0.02 * sd);
    // Same distribution: compare the two empirical cdfs (two-sample Kolmogorov-Smirnov, alpha ~ 1e-4).
    const sa = [...a].sort((p, q) => p - q);
    const sb = [...b].sort((p, q) => p - q);
    let i = 0;
    let j = 0;
    let dmax = 0;
    while (i < B && j < B) {
      const v = Math.min(sa[i] as number, sb[j] as number);
      while (i < B && (sa[i] as number) <= v) i++;
      while (j < B && (sb[j] as number) <= v) j++;
      dmax = Math.max(dmax, Math.abs(i - j) / B);
    }
    expect(dmax).toBeLessThan(2.2 * Math.sqrt(2 / B));
    expect(fewValues(Float64Array.from([1, 2, 3]), 2)).toBeUndefined();
    expect(fewValues(Float64Array.from([0, -0, 1]), 8)).toEqual({ values: [0, 1], counts: [2, 1] });
  });
});
