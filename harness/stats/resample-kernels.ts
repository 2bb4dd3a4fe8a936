import type { Stream } from './resample.js';

/**
 * The summation kernels of the shared resamples (shared-resamples.ts): the
 * index blocks and the sums over them, in the mean kernel's order.
 */

/** Vectors interleaved unit by unit, and the outputs of each. */
export interface Interleaved {
  readonly x: Float64Array;
  readonly outs: readonly Float64Array[];
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
 * outs[j][r0 + r] = the resample's mean of vector j of the four interleaved
 * in x (x[4i + j] = value of unit i, x[4n + j] = 0), summed in the mean
 * kernel's four accumulators.
 */
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
