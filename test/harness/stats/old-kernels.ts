import type { Stream } from '../../../harness/stats/resample.ts';

/**
 * The resampling kernels as they were before shared resamples (commit ecc852d,
 * harness/stats/resample.ts), kept verbatim as the reference the shared-resample
 * kernels must reproduce bit for bit: each drew its own B x n indices from the
 * stream and summed them in four accumulators.
 */

/**
 * Bootstrap distribution of the mean: out[r] = mean of n values drawn with replacement
 * from x, r = 0..B-1. The fast path of the default statistic.
 */
export function resampleMeans(x: Float64Array, B: number, stream: Stream, out: Float64Array): void {
  const n = x.length;
  if (n > 65536) {
    resampleMeansWide(x, B, stream, out);
    return;
  }
  const thr = 65536 % n;
  let a = stream.a | 0;
  let b = stream.b | 0;
  let c = stream.c | 0;
  let d = stream.d | 0;
  for (let r = 0; r < B; r++) {
    // Four accumulators break the floating-point add dependency chain.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    while (k + 4 <= n) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      const u = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + u) | 0;
      const m0 = Math.imul(t & 0xffff, n);
      const m1 = Math.imul(t >>> 16, n);
      const m2 = Math.imul(u & 0xffff, n);
      const m3 = Math.imul(u >>> 16, n);
      if ((m0 & 0xffff) < thr || (m1 & 0xffff) < thr || (m2 & 0xffff) < thr || (m3 & 0xffff) < thr) {
        // Rare: at least one digit rejected; take the others in order.
        if ((m0 & 0xffff) >= thr) {
          s0 += x[m0 >>> 16] as number;
          k++;
        }
        if ((m1 & 0xffff) >= thr) {
          s1 += x[m1 >>> 16] as number;
          k++;
        }
        if ((m2 & 0xffff) >= thr) {
          s2 += x[m2 >>> 16] as number;
          k++;
        }
        if ((m3 & 0xffff) >= thr) {
          s3 += x[m3 >>> 16] as number;
          k++;
        }
      } else {
        s0 += x[m0 >>> 16] as number;
        s1 += x[m1 >>> 16] as number;
        s2 += x[m2 >>> 16] as number;
        s3 += x[m3 >>> 16] as number;
        k += 4;
      }
    }
    while (k < n) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      const m0 = Math.imul(t & 0xffff, n);
      if ((m0 & 0xffff) >= thr) {
        s0 += x[m0 >>> 16] as number;
        k++;
      }
      if (k < n) {
        const m1 = Math.imul(t >>> 16, n);
        if ((m1 & 0xffff) >= thr) {
          s1 += x[m1 >>> 16] as number;
          k++;
        }
      }
    }
    out[r] = (s0 + s1 + (s2 + s3)) / n;
  }
  stream.a = a;
  stream.b = b;
  stream.c = c;
  stream.d = d;
}

/**
 * resampleMeans of two aligned arrays on the same resampled indices (paired data),
 * given interleaved as xy = [x0, y0, x1, y1, ...] so that a pair is one memory access;
 * each output is bitwise what resampleMeans gives for that array alone.
 */
export function resampleMeansPair(
  xy: Float64Array,
  B: number,
  stream: Stream,
  out: Float64Array,
  outY: Float64Array,
): void {
  const n = xy.length >>> 1;
  if (n > 65536) {
    resampleMeansPairWide(xy, B, stream, out, outY);
    return;
  }
  const thr = 65536 % n;
  let a = stream.a | 0;
  let b = stream.b | 0;
  let c = stream.c | 0;
  let d = stream.d | 0;
  for (let r = 0; r < B; r++) {
    // Four accumulators break the floating-point add dependency chain.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let y0 = 0;
    let y1 = 0;
    let y2 = 0;
    let y3 = 0;
    let k = 0;
    while (k + 4 <= n) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      const u = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + u) | 0;
      const m0 = Math.imul(t & 0xffff, n);
      const m1 = Math.imul(t >>> 16, n);
      const m2 = Math.imul(u & 0xffff, n);
      const m3 = Math.imul(u >>> 16, n);
      if ((m0 & 0xffff) < thr || (m1 & 0xffff) < thr || (m2 & 0xffff) < thr || (m3 & 0xffff) < thr) {
        // Rare: at least one digit rejected; take the others in order.
        if ((m0 & 0xffff) >= thr) {
          const j0 = (m0 >>> 16) << 1;
          s0 += xy[j0] as number;
          y0 += xy[j0 + 1] as number;
          k++;
        }
        if ((m1 & 0xffff) >= thr) {
          const j1 = (m1 >>> 16) << 1;
          s1 += xy[j1] as number;
          y1 += xy[j1 + 1] as number;
          k++;
        }
        if ((m2 & 0xffff) >= thr) {
          const j2 = (m2 >>> 16) << 1;
          s2 += xy[j2] as number;
          y2 += xy[j2 + 1] as number;
          k++;
        }
        if ((m3 & 0xffff) >= thr) {
          const j3 = (m3 >>> 16) << 1;
          s3 += xy[j3] as number;
          y3 += xy[j3 + 1] as number;
          k++;
        }
      } else {
        const j0 = (m0 >>> 16) << 1;
        s0 += xy[j0] as number;
        y0 += xy[j0 + 1] as number;
        const j1 = (m1 >>> 16) << 1;
        s1 += xy[j1] as number;
        y1 += xy[j1 + 1] as number;
        const j2 = (m2 >>> 16) << 1;
        s2 += xy[j2] as number;
        y2 += xy[j2 + 1] as number;
        const j3 = (m3 >>> 16) << 1;
        s3 += xy[j3] as number;
        y3 += xy[j3 + 1] as number;
        k += 4;
      }
    }
    while (k < n) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      const m0 = Math.imul(t & 0xffff, n);
      if ((m0 & 0xffff) >= thr) {
        const j0 = (m0 >>> 16) << 1;
        s0 += xy[j0] as number;
        y0 += xy[j0 + 1] as number;
        k++;
      }
      if (k < n) {
        const m1 = Math.imul(t >>> 16, n);
        if ((m1 & 0xffff) >= thr) {
          const j1 = (m1 >>> 16) << 1;
          s1 += xy[j1] as number;
          y1 += xy[j1 + 1] as number;
          k++;
        }
      }
    }
    out[r] = (s0 + s1 + (s2 + s3)) / n;
    outY[r] = (y0 + y1 + (y2 + y3)) / n;
  }
  stream.a = a;
  stream.b = b;
  stream.c = c;
  stream.d = d;
}

/** resampleMeansPair for more than 65536 values. */
export function resampleMeansPairWide(
  xy: Float64Array,
  B: number,
  stream: Stream,
  out: Float64Array,
  outY: Float64Array,
): void {
  const n = xy.length >>> 1;
  for (let r = 0; r < B; r++) {
    let s = 0;
    let t = 0;
    for (let i = 0; i < n; i++) {
      const j = stream.index(n) << 1;
      s += xy[j] as number;
      t += xy[j + 1] as number;
    }
    out[r] = s / n;
    outY[r] = t / n;
  }
}

/** resampleMeans for more than 65536 values: one 32-bit output per draw. */
export function resampleMeansWide(x: Float64Array, B: number, stream: Stream, out: Float64Array): void {
  const n = x.length;
  for (let r = 0; r < B; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[stream.index(n)] as number;
    out[r] = s / n;
  }
}
