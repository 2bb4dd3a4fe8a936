import type { Block, Interleaved } from './resample-kernels.js';

/**
 * The resample sums in plain JavaScript, for a runtime without WebAssembly
 * (`node --jitless`). The same bits as the SIMD kernels (resample-wasm.ts),
 * about three times slower; a test checks both against each other.
 */
export class JsSums {
  constructor(
    private readonly quads: readonly Interleaved[],
    private readonly fours: readonly Interleaved[],
  ) {}

  run(block: Block, r0: number): void {
    meansOver4(block, this.quads, r0);
    sumsOver4(block, this.fours, r0);
  }

  done(): void {}
}

/**
 * outs[j][r0 + r] = the resample's mean of vector j of the four interleaved
 * in x (x[4i + j] = value of unit i, x[4n + j] = 0), summed in the mean
 * kernel's four accumulators.
 */
function meansOver4(block: Block, quads: readonly Interleaved[], r0: number): void {
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
function sumsOver4(block: Block, fours: readonly Interleaved[], r0: number): void {
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
