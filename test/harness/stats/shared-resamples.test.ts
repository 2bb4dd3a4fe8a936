import { describe, expect, it } from 'vitest';
import { Stream } from '../../../harness/stats/resample.ts';
import { SharedResamples } from '../../../harness/stats/shared-resamples.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { resampleMeans, resampleMeansPair } from './old-kernels.ts';

const vectors = (rng: Rng, n: number, count: number) =>
  Array.from({ length: count }, () => Float64Array.from({ length: n }, () => rng.normal(0, 1)));

/** Left-to-right sums of each resample, drawn index by index as a generic statistic sees them. */
function sequentialSums(x: Float64Array, B: number, seed: string): Float64Array {
  const s = new Stream(seed);
  const idx = new Int32Array(x.length);
  const out = new Float64Array(B);
  for (let r = 0; r < B; r++) {
    s.drawIndices(x.length, idx);
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += x[idx[i] as number] as number;
    out[r] = sum;
  }
  return out;
}

describe('shared resamples: each stream drawn once, every vector summed over it', () => {
  it('means are bit for bit the old per-vector kernel, for every n (rejections, tails, odd counts of vectors)', () => {
    const rng = new Rng('shared-means');
    // 43691: a third of the 16-bit digits rejected; 65536: none; 1..7: tails only.
    for (const n of [1, 2, 3, 5, 7, 64, 333, 1000, 43_691, 65_536]) {
      const B = n > 10_000 ? 6 : 97;
      const xs = vectors(rng, n, 3);
      // A small block size makes the resamples span several blocks.
      const res = new SharedResamples(`s${n}`, B, 2 * n + 5);
      const asked = xs.map((x) => res.means(x));
      xs.forEach((x, k) => {
        const old = new Float64Array(B);
        resampleMeans(x, B, new Stream(`s${n}`), old);
        expect((asked[k] as () => Float64Array)()).toEqual(old);
      });
    }
  });

  it('vectors summed in several batches (the kernels memory bounded) give the same bits as one batch', () => {
    const rng = new Rng('shared-batches');
    const n = 501;
    const xs = vectors(rng, n, 9);
    const one = new SharedResamples('b', 50, 3 * n);
    // One interleaved group of four vectors per batch.
    const many = new SharedResamples('b', 50, 3 * n, 1);
    const a = xs.flatMap((x) => [one.means(x), one.sums(x)]);
    const b = xs.flatMap((x) => [many.means(x), many.sums(x)]);
    a.forEach((d, k) => expect((b[k] as () => Float64Array)()).toEqual(d()));
  });

  it('the plain JavaScript kernels (for a runtime without WebAssembly) give the bits of the SIMD ones', () => {
    const rng = new Rng('shared-js');
    for (const n of [1, 3, 7, 333, 43_691, 70_000]) {
      const B = n > 10_000 ? 3 : 41;
      const xs = vectors(rng, n, 5);
      const simd = new SharedResamples(`j${n}`, B, 2 * n + 5);
      const js = new SharedResamples(`j${n}`, B, 2 * n + 5, undefined, 'js');
      const a = xs.flatMap((x) => [simd.means(x), simd.sums(x)]);
      const b = xs.flatMap((x) => [js.means(x), js.sums(x)]);
      a.forEach((d, k) => expect((b[k] as () => Float64Array)()).toEqual(d()));
    }
  });

  it('more than 65536 units: one output per index, one accumulator, as the old wide kernels', () => {
    const rng = new Rng('shared-wide');
    const [x, y] = vectors(rng, 70_000, 2) as [Float64Array, Float64Array];
    const res = new SharedResamples('w', 3);
    const mx = res.means(x);
    const my = res.means(y);
    const xy = new Float64Array(2 * x.length);
    x.forEach((v, i) => {
      xy[2 * i] = v;
      xy[2 * i + 1] = y[i] as number;
    });
    const ox = new Float64Array(3);
    const oy = new Float64Array(3);
    resampleMeansPair(xy, 3, new Stream('w'), ox, oy);
    expect(mx()).toEqual(ox);
    expect(my()).toEqual(oy);
    expect(res.sums(x)()).toEqual(sequentialSums(x, 3, 'w'));
  });

  it('sums are the left-to-right sums of the indices Stream.drawIndices gives', () => {
    const rng = new Rng('shared-sums');
    for (const n of [1, 3, 6, 100, 1000, 43_691]) {
      const B = n > 10_000 ? 5 : 60;
      const xs = vectors(rng, n, 5);
      const res = new SharedResamples(`q${n}`, B, 3 * n);
      const asked = xs.map((x) => res.sums(x));
      xs.forEach((x, k) => expect((asked[k] as () => Float64Array)()).toEqual(sequentialSums(x, B, `q${n}`)));
    }
  });

  it('a vector asked for after the first read gets the same numbers (the stream is drawn again for it)', () => {
    const rng = new Rng('late');
    const [x, y] = vectors(rng, 200, 2) as [Float64Array, Float64Array];
    const res = new SharedResamples('late', 50);
    const early = res.means(x)();
    const late = res.means(y)();
    const fresh = new SharedResamples('late', 50);
    const fy = fresh.means(y);
    fresh.means(x);
    expect(late).toEqual(fy());
    // The same vector again is answered from what was drawn, and the caller may modify its copy.
    early.fill(0);
    expect(res.means(Float64Array.from(x))()).not.toEqual(early);
  });

  it('-0 values and all-zero vectors: the zero pad never changes a sum', () => {
    const x = Float64Array.from({ length: 43_691 }, (_, i) => (i % 3 === 0 ? -0 : i % 5));
    const res = new SharedResamples('pad', 4);
    expect(res.sums(x)()).toEqual(sequentialSums(x, 4, 'pad'));
    const old = new Float64Array(4);
    resampleMeans(x, 4, new Stream('pad'), old);
    expect(res.means(x)()).toEqual(old);
    expect(new SharedResamples('z', 5).means(new Float64Array(10))()).toEqual(new Float64Array(5));
  });
});
