import { Stream } from './resample.js';
import { Block, type Interleaved } from './resample-kernels.js';
import { JsSums } from './resample-js.js';
import { hasWasm, WasmSums } from './resample-wasm.js';

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
    /** Bytes of vectors the kernels' memory holds at once; more are summed in further passes over the stream. */
    private readonly batchBytes = 256 * 1024 * 1024,
    /** `js`: the plain JavaScript kernels even where WebAssembly runs (tests compare the two). */
    private readonly kernels: 'auto' | 'js' = 'auto',
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
    const per = Math.max(1, Math.floor(this.blockDigits / n));
    const block = new Block(Math.min(per, B), n);
    // Vectors go to the kernels' memory in batches of bounded size; each batch reads the same stream from its start.
    for (const batch of batches(quads, fours, this.batchBytes)) {
      const stream = new Stream(this.seed);
      const kernels =
        this.kernels === 'auto' && hasWasm()
          ? new WasmSums(batch.quads, batch.fours, Math.min(per, B))
          : new JsSums(batch.quads, batch.fours);
      for (let r0 = 0; r0 < B; r0 += per) {
        block.draw(stream, Math.min(per, B - r0));
        kernels.run(block, r0);
      }
      kernels.done();
    }
    if (wide)
      for (const r of reqs) {
        const out = r.out as Float64Array;
        if (r.kind === 'means') for (let k = 0; k < B; k++) out[k] = (out[k] as number) / n;
      }
  }
}

function* batches(
  quads: readonly Interleaved[],
  fours: readonly Interleaved[],
  limit: number,
): Generator<{ quads: Interleaved[]; fours: Interleaved[] }> {
  let batch = { quads: [] as Interleaved[], fours: [] as Interleaved[] };
  let bytes = 0;
  const all = [...quads.map((v) => ({ v, means: true })), ...fours.map((v) => ({ v, means: false }))];
  for (const { v, means } of all) {
    if (bytes > 0 && bytes + v.x.byteLength > limit) {
      yield batch;
      batch = { quads: [], fours: [] };
      bytes = 0;
    }
    (means ? batch.quads : batch.fours).push(v);
    bytes += v.x.byteLength;
  }
  if (bytes > 0) yield batch;
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
