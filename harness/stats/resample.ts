import { Rng } from '../util/rng.js';

/**
 * Random streams for the resampling procedures.
 *
 * The harness's Rng (sfc32) is seeded from the caller's seed; its first four outputs
 * seed a second sfc32 generator whose state the hot loops below keep in local
 * variables (an object field per step would cost several times more). The stream is
 * therefore a pure function of the seed, like every other random choice in the harness.
 *
 * A uniform index in [0, n) is floor(u * n / 2^32) for a 32-bit output u -- the same
 * mapping as Rng.int -- so every procedure, fast path or generic, draws exactly the
 * same indices from the same seed.
 */
export class Stream {
  /** sfc32 state; read and written back by the inlined kernels. */
  a: number;
  b: number;
  c: number;
  d: number;

  constructor(seed: number | string, label: string) {
    const rng = Rng.derive(seed, 'stats', label);
    this.a = rng.nextUint32() | 0;
    this.b = rng.nextUint32() | 0;
    this.c = rng.nextUint32() | 0;
    this.d = rng.nextUint32() | 0;
  }

  /** The next 32-bit output, as a signed int32 (use `>>> 0` for the unsigned value). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t;
  }

  /** Uniform integer in [0, n). */
  index(n: number): number {
    return Math.min(n - 1, Math.floor((this.next() >>> 0) * (n / 4294967296)));
  }
}

/**
 * Bootstrap distribution of the mean: out[r] = mean of n values drawn with
 * replacement from x, r = 0..B-1. The fast path for the default statistic.
 */
export function resampleMeans(x: Float64Array, B: number, stream: Stream, out: Float64Array): void {
  const n = x.length;
  const scale = n / 4294967296;
  const pairs = n >>> 1;
  const odd = n & 1;
  let a = stream.a;
  let b = stream.b;
  let c = stream.c;
  let d = stream.d;
  for (let r = 0; r < B; r++) {
    // Two accumulators break the floating-point add dependency chain.
    let s0 = 0;
    let s1 = 0;
    for (let i = 0; i < pairs; i++) {
      let t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      s0 += x[((t >>> 0) * scale) | 0] as number;
      t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      s1 += x[((t >>> 0) * scale) | 0] as number;
    }
    if (odd) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      s0 += x[((t >>> 0) * scale) | 0] as number;
    }
    out[r] = (s0 + s1) / n;
  }
  stream.a = a;
  stream.b = b;
  stream.c = c;
  stream.d = d;
}

/**
 * Cluster bootstrap of the mean of all units: draw G clusters with replacement and
 * return (sum of their unit values) / (number of their units).
 */
export function resampleClusterMeans(sums: Float64Array, sizes: Float64Array, B: number, stream: Stream, out: Float64Array): void {
  const G = sums.length;
  const scale = G / 4294967296;
  let a = stream.a;
  let b = stream.b;
  let c = stream.c;
  let d = stream.d;
  for (let r = 0; r < B; r++) {
    let s = 0;
    let m = 0;
    for (let i = 0; i < G; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      const g = ((t >>> 0) * scale) | 0;
      s += sums[g] as number;
      m += sizes[g] as number;
    }
    out[r] = s / m;
  }
  stream.a = a;
  stream.b = b;
  stream.c = c;
  stream.d = d;
}

/**
 * Random sign flips: out[r] = sum_i s_i * x[i] with independent fair signs s_i,
 * 32 signs per generator output (bit j of an output flips element j of a block).
 */
export function signFlipSums(x: Float64Array, B: number, stream: Stream, out: Float64Array): void {
  const n = x.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i] as number;
  const blocks = n >>> 5;
  let a = stream.a;
  let b = stream.b;
  let c = stream.c;
  let d = stream.d;
  for (let r = 0; r < B; r++) {
    // Sum of the flipped elements f; the flipped total is total - 2 f.
    let f0 = 0;
    let f1 = 0;
    let i = 0;
    for (let k = 0; k < blocks; k++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      for (let j = 0; j < 32; j += 2) {
        f0 += ((t >>> j) & 1) * (x[i] as number);
        f1 += ((t >>> (j + 1)) & 1) * (x[i + 1] as number);
        i += 2;
      }
    }
    if (i < n) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      for (let j = 0; i < n; j++, i++) f0 += ((t >>> j) & 1) * (x[i] as number);
    }
    out[r] = total - 2 * (f0 + f1);
  }
  stream.a = a;
  stream.b = b;
  stream.c = c;
  stream.d = d;
}
