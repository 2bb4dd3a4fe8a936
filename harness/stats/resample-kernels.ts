import type { Stream } from './resample.js';

/**
 * The index blocks of the shared resamples (shared-resamples.ts). The sums
 * over them are the WebAssembly kernels (resample-kernels.wat, run by
 * resample-wasm.ts).
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
