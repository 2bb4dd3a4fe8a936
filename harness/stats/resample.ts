import { Rng } from '../util/rng.js';
import { logGamma } from './distributions.js';

/**
 * Random streams for the resampling procedures, and the tight loops that use them.
 *
 * The harness's Rng (sfc32) is seeded from the caller's seed; its first four outputs
 * seed a second sfc32 generator whose state the hot loops keep in local variables (an
 * object field per step would cost several times more). The stream is therefore a pure
 * function of the seed, like every other random choice in the harness. It does not
 * depend on the procedure: bootstrapCi(a - b, seed) and pairedBootstrapTest(a, b, seed)
 * resample the same units, and cells that share a seed share their resamples.
 *
 * Uniform indices in [0, n) for n <= 65536 come from 16-bit digits, two per 32-bit
 * output (low half first), by Lemire's multiply-and-reject method: with a digit u,
 * m = u * n, the index is floor(m / 2^16), and the digit is rejected when
 * m mod 2^16 < 2^16 mod n -- exactly uniform, no modulo bias. Each resample starts on
 * a fresh output (a pending high half is dropped). For n > 65536 an index is
 * floor(u32 * n / 2^32) of one whole output (bias below n / 2^32, as Rng.int).
 * Stream.index reproduces the kernels' draws one by one, so a generic statistic sees
 * exactly the resamples the fast paths sum (shared-resamples.ts draws them once per
 * table and sums every vector over them).
 */
export class Stream {
  /** sfc32 state; read and written back by the inlined kernels. */
  a: number;
  b: number;
  c: number;
  d: number;
  /** Pending high half of the last output, or -1. */
  private spare = -1;

  constructor(seed: number | string) {
    const rng = Rng.derive(seed, 'stats');
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

  /** Uniform in [0, 1) with 53 random bits (two outputs). */
  uniform53(): number {
    const hi = this.next() >>> 11;
    const lo = this.next() >>> 0;
    return (hi * 4294967296 + lo) / 9007199254740992;
  }

  /** Marks the start of a resample: the next index starts on a fresh output. */
  beginResample(): void {
    this.spare = -1;
  }

  /** Uniform integer in [0, n), n >= 1. */
  index(n: number): number {
    if (n > 65536) return Math.min(n - 1, Math.floor((this.next() >>> 0) * (n / 4294967296)));
    const thr = 65536 % n;
    for (;;) {
      let u: number;
      if (this.spare >= 0) {
        u = this.spare;
        this.spare = -1;
      } else {
        const t = this.next();
        u = t & 0xffff;
        this.spare = t >>> 16;
      }
      const m = Math.imul(u, n);
      if ((m & 0xffff) >= thr) return m >>> 16;
    }
  }

  /**
   * The indices of one resample: out[i] = index(n) for i = 0..count-1, starting on a
   * fresh output -- the draws the kernels make, with the state in locals.
   */
  drawIndices(n: number, out: Int32Array, count: number = out.length): void {
    this.spare = -1;
    if (n > 65536) {
      for (let i = 0; i < count; i++) out[i] = this.index(n);
      return;
    }
    const thr = 65536 % n;
    let a = this.a | 0;
    let b = this.b | 0;
    let c = this.c | 0;
    let d = this.d | 0;
    let k = 0;
    while (k < count) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      const m0 = Math.imul(t & 0xffff, n);
      if ((m0 & 0xffff) >= thr) out[k++] = m0 >>> 16;
      if (k < count) {
        const m1 = Math.imul(t >>> 16, n);
        if ((m1 & 0xffff) >= thr) out[k++] = m1 >>> 16;
      }
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
}

/**
 * Random sign flips: out[r] = sum_i s_i x[i] with independent fair signs s_i.
 * Element i is negated when bit (i mod 32) of the (floor(i / 32))-th output of the
 * resample is set. The flipped part is summed four elements at a time from
 * precomputed tables of the 16 subset sums of each group of four.
 */
export function signFlipSums(x: Float64Array, B: number, stream: Stream, out: Float64Array): void {
  const n = x.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i] as number;
  const groups = (n + 3) >>> 2;
  // table[16 g + mask] = sum of x[4 g + j] over the bits j set in mask.
  const table = new Float64Array(groups * 16);
  for (let g = 0; g < groups; g++) {
    for (let mask = 1; mask < 16; mask++) {
      let s = 0;
      for (let j = 0; j < 4; j++) if (mask & (1 << j) && 4 * g + j < n) s += x[4 * g + j] as number;
      table[16 * g + mask] = s;
    }
  }
  const words = (groups + 7) >>> 3;
  let a = stream.a | 0;
  let b = stream.b | 0;
  let c = stream.c | 0;
  let d = stream.d | 0;
  for (let r = 0; r < B; r++) {
    let f0 = 0;
    let f1 = 0;
    let g = 0;
    for (let w = 0; w < words; w++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      if (g + 8 <= groups) {
        const base = g << 4;
        f0 += table[base + (t & 15)] as number;
        f1 += table[base + 16 + ((t >>> 4) & 15)] as number;
        f0 += table[base + 32 + ((t >>> 8) & 15)] as number;
        f1 += table[base + 48 + ((t >>> 12) & 15)] as number;
        f0 += table[base + 64 + ((t >>> 16) & 15)] as number;
        f1 += table[base + 80 + ((t >>> 20) & 15)] as number;
        f0 += table[base + 96 + ((t >>> 24) & 15)] as number;
        f1 += table[base + 112 + ((t >>> 28) & 15)] as number;
        g += 8;
      } else {
        for (let j = 0; g < groups; j += 4, g++) f0 += table[(g << 4) + ((t >>> j) & 15)] as number;
      }
    }
    out[r] = total - 2 * (f0 + f1);
  }
  stream.a = a;
  stream.b = b;
  stream.c = c;
  stream.d = d;
}

// ---- few distinct values ---------------------------------------------------------------

/** The distinct values of x with their counts, most frequent first; undefined if more than maxK. */
export function fewValues(x: Float64Array, maxK: number): { values: number[]; counts: number[] } | undefined {
  const counts = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    const v = (x[i] as number) + 0; // -0 and 0 are the same value
    const c = counts.get(v);
    if (c === undefined) {
      if (counts.size >= maxK) return undefined;
      counts.set(v, 1);
    } else counts.set(v, c + 1);
  }
  const entries = [...counts.entries()].sort((p, q) => q[1] - p[1] || p[0] - q[0]);
  return { values: entries.map((e) => e[0]), counts: entries.map((e) => e[1]) };
}

/** Whether sampling the multinomial counts (k - 1 binomial draws per resample) beats n index draws. */
export function preferFewValues(k: number, n: number): boolean {
  return (k - 1) * 48 < n;
}

/** Inverse-cdf tables of Binomial(m, q) for one q, built on demand for each m. */
class BinomialTables {
  private readonly tables = new Map<number, Float64Array>();
  constructor(private readonly q: number) {}

  /** cdf[s] = P(X <= s), X ~ Binomial(m, q); cdf[m] = 1. */
  cdf(m: number): Float64Array {
    let t = this.tables.get(m);
    if (t === undefined) {
      t = binomialCdfTable(m, this.q);
      this.tables.set(m, t);
    }
    return t;
  }
}

/** Cumulative probabilities of Binomial(m, q), from the pmf at the mode outward, normalised. */
function binomialCdfTable(m: number, q: number): Float64Array {
  const pmf = new Float64Array(m + 1);
  const mode = Math.min(m, Math.floor((m + 1) * q));
  const logQ = Math.log(q);
  const log1Q = Math.log1p(-q);
  pmf[mode] = Math.exp(
    logGamma(m + 1) - logGamma(mode + 1) - logGamma(m - mode + 1) + mode * logQ + (m - mode) * log1Q,
  );
  const ratio = q / (1 - q);
  for (let s = mode; s < m; s++) pmf[s + 1] = ((pmf[s] as number) * (m - s) * ratio) / (s + 1);
  for (let s = mode; s > 0; s--) pmf[s - 1] = ((pmf[s] as number) * s) / ((m - s + 1) * ratio);
  const cdf = new Float64Array(m + 1);
  let acc = 0;
  for (let s = 0; s <= m; s++) {
    acc += pmf[s] as number;
    cdf[s] = acc;
  }
  for (let s = 0; s <= m; s++) cdf[s] = (cdf[s] as number) / acc;
  cdf[m] = 1;
  return cdf;
}

/** A Binomial(m, q) draw by inversion: the smallest s with u < cdf[s]. */
function drawBinomial(tables: BinomialTables, m: number, stream: Stream): number {
  const cdf = tables.cdf(m);
  const u = stream.uniform53();
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < (cdf[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Bootstrap distribution of the mean for data with few distinct values v_j (counts
 * c_j): the numbers of draws of each value in a resample of n are
 * Multinomial(n; c_j / n), sampled exactly as a chain of binomials
 * N_j | N_1..N_{j-1} ~ Binomial(n - N_1 - ... - N_{j-1}, c_j / (c_j + ... + c_k)).
 * The resample mean is sum_j v_j N_j / n -- in distribution the same as summing n
 * drawn indices, at k - 1 draws per resample instead of n.
 */
export function resampleMeansFewValues(
  values: readonly number[],
  counts: readonly number[],
  B: number,
  stream: Stream,
  out: Float64Array,
): void {
  const k = values.length;
  let n = 0;
  for (const c of counts) n += c;
  const tables: BinomialTables[] = [];
  let rest = n;
  for (let j = 0; j < k - 1; j++) {
    tables.push(new BinomialTables((counts[j] as number) / rest));
    rest -= counts[j] as number;
  }
  for (let r = 0; r < B; r++) {
    let left = n;
    let s = 0;
    for (let j = 0; j < k - 1 && left > 0; j++) {
      const draws = drawBinomial(tables[j] as BinomialTables, left, stream);
      s += (values[j] as number) * draws;
      left -= draws;
    }
    s += (values[k - 1] as number) * left;
    out[r] = s / n;
  }
}
