import { Stream } from './resample.js';

/** A value computed later, once the resamples it reads have been drawn. */
export type Deferred<T> = () => T;

/**
 * The bootstrap resamples a table shares. Every interval and paired test of a
 * table resamples the same units with the same seed, so the B resamples of n
 * units are one stream of indices: it is drawn once, block by block, and every
 * value vector of length n asked for is summed over each block while the
 * block's indices are in cache. Asking is cheap and returns a Deferred; the
 * first read draws the resamples for everything asked so far (ask first, read
 * after, and each stream is drawn once per table).
 *
 * The indices are those of the Stream (see resample.ts): for n <= 65536, 16-bit
 * digits by Lemire's method, two per output, each resample starting on a fresh
 * output; above, one output per index. Two summations are offered, matching
 * bit for bit what the harness has always computed:
 *
 * - means: the mean kernel's order -- four accumulators, the k-th digit of each
 *   group of four (two outputs) into accumulator k, and in the tail (fewer than
 *   four indices to go) the low and high digit of each output into accumulators
 *   0 and 1, summed as (s0 + s1 + (s2 + s3)) / n; for n > 65536 one accumulator.
 *   A rejected digit keeps its place in the group (and a dropped last high digit
 *   its place in the pair) as index n, which points at a zero appended to every
 *   vector: adding +0 to an accumulator that started at +0 never changes its bits,
 *   so the kernels need no branch and the sums are those of kernels that skip them.
 * - sums: one accumulator, left to right in draw order -- what a statistic that
 *   sums its resample sees (weighted means, pooled counts, the gap's mean).
 */
export class SharedResamples {
  private readonly groups = new Map<number, Group>();

  constructor(
    readonly seed: number | string,
    readonly B: number,
    /** Indices per block; blocks stay in cache while every vector is summed over them. */
    private readonly blockDigits = 1 << 18,
  ) {}

  /** B resampled means of x (the mean kernel's summation order). The result is the caller's to modify. */
  means(x: Float64Array): Deferred<Float64Array> {
    return this.ask(x, 'means');
  }

  /** B resampled left-to-right sums of x in draw order. The result is the caller's to modify. */
  sums(x: Float64Array): Deferred<Float64Array> {
    return this.ask(x, 'sums');
  }

  private ask(x: Float64Array, kind: Kind): Deferred<Float64Array> {
    const n = x.length;
    if (n === 0) throw new RangeError('SharedResamples: no values to resample');
    let g = this.groups.get(n);
    if (!g) this.groups.set(n, (g = { pending: [], byKey: new Map() }));
    const key = `${kind}|${hashValues(x)}`;
    let req = g.byKey.get(key)?.find((r) => sameBits(r.x.subarray(0, n), x));
    if (!req) {
      const padded = new Float64Array(n + 1);
      padded.set(x);
      req = { x: padded, kind, out: null };
      g.byKey.set(key, [...(g.byKey.get(key) ?? []), req]);
      g.pending.push(req);
    }
    const r = req;
    const group = g;
    return () => {
      if (r.out === null) this.draw(n, group);
      return (r.out as Float64Array).slice();
    };
  }

  /** Draws n's resamples once, summing every pending vector over each block. */
  private draw(n: number, g: Group): void {
    const reqs = g.pending;
    g.pending = [];
    const B = this.B;
    for (const r of reqs) r.out = new Float64Array(B);
    const wide = n > 65536;
    // Vectors interleaved by unit (pairs for the means, fours for the sums): one index
    // load serves several vectors, and their accumulators are independent chains.
    const means = reqs.filter((r) => r.kind === 'means' && !wide);
    const sums = reqs.filter((r) => r.kind === 'sums' || wide);
    const quads = interleave(means, 4, n);
    const fours = interleave(sums, 4, n);
    const stream = new Stream(this.seed);
    const per = Math.max(1, Math.floor(this.blockDigits / n));
    const block = new Block(Math.min(per, B), n);
    for (let r0 = 0; r0 < B; r0 += per) {
      block.draw(stream, Math.min(per, B - r0));
      meansOver4(block, quads, r0);
      sumsOver4(block, fours, r0);
    }
    if (wide)
      for (const r of reqs) {
        const out = r.out as Float64Array;
        if (r.kind === 'means') for (let k = 0; k < B; k++) out[k] = (out[k] as number) / n;
      }
  }
}

/** Groups of `width` vectors, interleaved unit by unit (with the zero pad), and their outputs; short groups are filled with a dummy. */
function interleave(reqs: readonly Request[], width: number, n: number): Interleaved[] {
  const out: Interleaved[] = [];
  for (let k = 0; k < reqs.length; k += width) {
    const x = new Float64Array(width * (n + 1));
    const outs: Float64Array[] = [];
    for (let j = 0; j < width; j++) {
      const r = reqs[k + j];
      outs.push(r ? (r.out as Float64Array) : new Float64Array((reqs[0] as Request).out?.length ?? 0));
      if (r) for (let i = 0; i < n; i++) x[width * i + j] = r.x[i] as number;
    }
    out.push({ x, outs });
  }
  return out;
}

/** Vectors interleaved unit by unit, and the outputs of each. */
export interface Interleaved {
  readonly x: Float64Array;
  readonly outs: readonly Float64Array[];
}

type Kind = 'means' | 'sums';

interface Request {
  /** A copy of the values with the zero pad: later requests of the same vector are answered without drawing again. */
  readonly x: Float64Array;
  readonly kind: Kind;
  out: Float64Array | null;
}

interface Group {
  pending: Request[];
  readonly byKey: Map<string, Request[]>;
}

/**
 * The indices of `count` consecutive resamples: resample r occupies
 * buf[start[r] .. start[r + 1]), its four-accumulator part ending at main[r];
 * rejected and dropped digits are n (the zero pad).
 */
export class Block {
  buf: Int32Array;
  readonly start: Int32Array;
  readonly main: Int32Array;
  count = 0;
  /** n > 65536: one index per output, no rejections, no groups. */
  readonly wide: boolean;

  constructor(
    capacity: number,
    readonly n: number,
  ) {
    this.wide = n > 65536;
    this.buf = new Int32Array(capacity * n + 64);
    this.start = new Int32Array(capacity + 1);
    this.main = new Int32Array(capacity);
  }

  /** The next `count` resamples of the stream, as the mean kernel draws them. */
  draw(stream: Stream, count: number): void {
    const n = this.n;
    this.count = count;
    const start = this.start;
    const main = this.main;
    if (this.wide) {
      const buf = this.buf;
      for (let r = 0, p = 0; r < count; r++) {
        start[r] = p;
        for (let i = 0; i < n; i++) buf[p++] = stream.index(n);
        main[r] = p;
        start[r + 1] = p;
      }
      return;
    }
    const thr = 65536 % n;
    let buf = this.buf;
    let cap = buf.length;
    let p = 0;
    let a = stream.a | 0;
    let b = stream.b | 0;
    let c = stream.c | 0;
    let d = stream.d | 0;
    for (let r = 0; r < count; r++) {
      start[r] = p;
      let k = 0;
      while (k + 4 <= n) {
        if (p + 4 > cap) {
          buf = this.grow(p);
          cap = buf.length;
        }
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
          // Rare: a digit rejected. It keeps its place (its accumulator) as n, the zero pad.
          buf[p] = (m0 & 0xffff) >= thr ? m0 >>> 16 : n;
          buf[p + 1] = (m1 & 0xffff) >= thr ? m1 >>> 16 : n;
          buf[p + 2] = (m2 & 0xffff) >= thr ? m2 >>> 16 : n;
          buf[p + 3] = (m3 & 0xffff) >= thr ? m3 >>> 16 : n;
          k += ((m0 & 0xffff) >= thr ? 1 : 0) + ((m1 & 0xffff) >= thr ? 1 : 0);
          k += ((m2 & 0xffff) >= thr ? 1 : 0) + ((m3 & 0xffff) >= thr ? 1 : 0);
        } else {
          buf[p] = m0 >>> 16;
          buf[p + 1] = m1 >>> 16;
          buf[p + 2] = m2 >>> 16;
          buf[p + 3] = m3 >>> 16;
          k += 4;
        }
        p += 4;
      }
      main[r] = p;
      while (k < n) {
        if (p + 2 > cap) {
          buf = this.grow(p);
          cap = buf.length;
        }
        const t = (((a + b) | 0) + d) | 0;
        d = (d + 1) | 0;
        a = b ^ (b >>> 9);
        b = (c + (c << 3)) | 0;
        c = (c << 21) | (c >>> 11);
        c = (c + t) | 0;
        const m0 = Math.imul(t & 0xffff, n);
        if ((m0 & 0xffff) >= thr) {
          buf[p] = m0 >>> 16;
          k++;
        } else buf[p] = n;
        // The high digit is dropped once the resample is complete: the pad takes its place.
        const m1 = Math.imul(t >>> 16, n);
        if (k < n && (m1 & 0xffff) >= thr) {
          buf[p + 1] = m1 >>> 16;
          k++;
        } else buf[p + 1] = n;
        p += 2;
      }
      start[r + 1] = p;
    }
    stream.a = a;
    stream.b = b;
    stream.c = c;
    stream.d = d;
  }

  private grow(used: number): Int32Array {
    const next = new Int32Array(Math.max(this.buf.length * 2, used + 64));
    next.set(this.buf.subarray(0, used));
    this.buf = next;
    return next;
  }
}

/**
 * outs[j][r0 + r] = the resample's mean of vector j of the pair x (x[2i + j] = value
 * of unit i, x[2n + j] = 0), summed in the mean kernel's four accumulators.
 */
export function meansOver2(block: Block, pairs: readonly Interleaved[], r0: number): void {
  const { buf, start, main, count, n } = block;
  for (const { x, outs } of pairs) {
    const oa = outs[0] as Float64Array;
    const ob = outs[1] as Float64Array;
    for (let r = 0; r < count; r++) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      const m = main[r] as number;
      const end = start[r + 1] as number;
      let p = start[r] as number;
      for (; p < m; p += 4) {
        const d0 = (buf[p] as number) << 1;
        const d1 = (buf[p + 1] as number) << 1;
        const d2 = (buf[p + 2] as number) << 1;
        const d3 = (buf[p + 3] as number) << 1;
        a0 += x[d0] as number;
        b0 += x[d0 + 1] as number;
        a1 += x[d1] as number;
        b1 += x[d1 + 1] as number;
        a2 += x[d2] as number;
        b2 += x[d2 + 1] as number;
        a3 += x[d3] as number;
        b3 += x[d3 + 1] as number;
      }
      for (; p < end; p += 2) {
        const d0 = (buf[p] as number) << 1;
        const d1 = (buf[p + 1] as number) << 1;
        a0 += x[d0] as number;
        b0 += x[d0 + 1] as number;
        a1 += x[d1] as number;
        b1 += x[d1 + 1] as number;
      }
      oa[r0 + r] = (a0 + a1 + (a2 + a3)) / n;
      ob[r0 + r] = (b0 + b1 + (b2 + b3)) / n;
    }
  }
}

/** meansOver2 for four interleaved vectors (x[4i + j]). */
export function meansOver4(block: Block, quads: readonly Interleaved[], r0: number): void {
  const { buf, start, main, count, n } = block;
  for (const { x, outs } of quads) {
    const o0 = outs[0] as Float64Array;
    const o1 = outs[1] as Float64Array;
    const o2 = outs[2] as Float64Array;
    const o3 = outs[3] as Float64Array;
    for (let r = 0; r < count; r++) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      let e0 = 0;
      let e1 = 0;
      let e2 = 0;
      let e3 = 0;
      const m = main[r] as number;
      const end = start[r + 1] as number;
      let p = start[r] as number;
      for (; p < m; p += 4) {
        const d0 = (buf[p] as number) << 2;
        const d1 = (buf[p + 1] as number) << 2;
        const d2 = (buf[p + 2] as number) << 2;
        const d3 = (buf[p + 3] as number) << 2;
        a0 += x[d0] as number;
        b0 += x[d0 + 1] as number;
        c0 += x[d0 + 2] as number;
        e0 += x[d0 + 3] as number;
        a1 += x[d1] as number;
        b1 += x[d1 + 1] as number;
        c1 += x[d1 + 2] as number;
        e1 += x[d1 + 3] as number;
        a2 += x[d2] as number;
        b2 += x[d2 + 1] as number;
        c2 += x[d2 + 2] as number;
        e2 += x[d2 + 3] as number;
        a3 += x[d3] as number;
        b3 += x[d3 + 1] as number;
        c3 += x[d3 + 2] as number;
        e3 += x[d3 + 3] as number;
      }
      for (; p < end; p += 2) {
        const d0 = (buf[p] as number) << 2;
        const d1 = (buf[p + 1] as number) << 2;
        a0 += x[d0] as number;
        b0 += x[d0 + 1] as number;
        c0 += x[d0 + 2] as number;
        e0 += x[d0 + 3] as number;
        a1 += x[d1] as number;
        b1 += x[d1 + 1] as number;
        c1 += x[d1 + 2] as number;
        e1 += x[d1 + 3] as number;
      }
      o0[r0 + r] = (a0 + a1 + (a2 + a3)) / n;
      o1[r0 + r] = (b0 + b1 + (b2 + b3)) / n;
      o2[r0 + r] = (c0 + c1 + (c2 + c3)) / n;
      o3[r0 + r] = (e0 + e1 + (e2 + e3)) / n;
    }
  }
}

/** outs[j][r0 + r] = the left-to-right sum in draw order of vector j of the four interleaved in x. */
export function sumsOver4(block: Block, fours: readonly Interleaved[], r0: number): void {
  const { buf, start, count } = block;
  for (const { x, outs } of fours) {
    const o0 = outs[0] as Float64Array;
    const o1 = outs[1] as Float64Array;
    const o2 = outs[2] as Float64Array;
    const o3 = outs[3] as Float64Array;
    for (let r = 0; r < count; r++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const end = start[r + 1] as number;
      for (let p = start[r] as number; p < end; p++) {
        const d = (buf[p] as number) << 2;
        s0 += x[d] as number;
        s1 += x[d + 1] as number;
        s2 += x[d + 2] as number;
        s3 += x[d + 3] as number;
      }
      o0[r0 + r] = s0;
      o1[r0 + r] = s1;
      o2[r0 + r] = s2;
      o3[r0 + r] = s3;
    }
  }
}

function hashValues(x: Float64Array): string {
  const words = new Uint32Array(x.buffer, x.byteOffset, x.length * 2);
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as number;
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 ^ w, 0x85ebca6b) ^ (h2 >>> 13);
  }
  return `${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  const wb = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
  return true;
}
