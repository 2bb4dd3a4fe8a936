import { readFileSync } from 'node:fs';
import type { Block, Interleaved } from './resample-kernels.js';

/** The part of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface Wasm {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: unknown };
}

interface Exports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  means4(buf: number, start: number, main: number, count: number, x: number, out: number, n: number): void;
  sums4(buf: number, start: number, count: number, x: number, out: number): void;
}

let instance: Exports | null = null;

const wasmApi = (): Wasm | undefined => (globalThis as unknown as { WebAssembly?: Wasm }).WebAssembly;

/** Whether this runtime runs WebAssembly (`node --jitless` does not). */
export function hasWasm(): boolean {
  return wasmApi() !== undefined;
}

/** The compiled kernels (resample-kernels.wat), instantiated once per process. */
function kernels(): Exports {
  if (!instance) {
    const bytes = readFileSync(new URL('./resample-kernels.wasm', import.meta.url));
    const wasm = wasmApi() as Wasm;
    instance = new wasm.Instance(new wasm.Module(bytes)).exports as Exports;
  }
  return instance;
}

const PAGE = 65536;
/** Kernel memory kept for the next draw; above this it is let go. */
const KEEP_BYTES = 64 * 1024 * 1024;

/**
 * One table draw's vectors in WebAssembly memory: the interleaved values are
 * copied in once, then each block's indices are copied in and every vector is
 * summed over them by the SIMD kernels. Each lane adds in the order of the
 * scalar kernels they replaced (test/harness/stats/old-kernels.ts holds them),
 * so the results are the same bits (shared-resamples.test.ts).
 */
export class WasmSums {
  private readonly k = kernels();
  private readonly xAt: number[] = [];
  private readonly outAt: number;
  private readonly startAt: number;
  private readonly mainAt: number;
  private readonly bufAt: number;

  constructor(
    private readonly quads: readonly Interleaved[],
    private readonly fours: readonly Interleaved[],
    capacity: number,
  ) {
    let at = 0;
    for (const v of [...quads, ...fours]) {
      this.xAt.push(at);
      at += v.x.byteLength;
    }
    this.outAt = at;
    at += 32 * capacity;
    this.startAt = at;
    at += 4 * (capacity + 1);
    this.mainAt = at;
    at += 4 * capacity;
    this.bufAt = (at + 15) & ~15;
    this.reserve(this.bufAt);
    const mem = new Uint8Array(this.k.memory.buffer);
    [...quads, ...fours].forEach((v, j) =>
      mem.set(new Uint8Array(v.x.buffer, v.x.byteOffset, v.x.byteLength), this.xAt[j] as number),
    );
  }

  /** The means of every quad and the sums of every four over this block, into the outputs from r0 on. */
  run(block: Block, r0: number): void {
    const { count, n } = block;
    const used = block.start[count] as number;
    this.reserve(this.bufAt + 4 * used);
    const buffer = this.k.memory.buffer;
    new Int32Array(buffer, this.bufAt, used).set(block.buf.subarray(0, used));
    new Int32Array(buffer, this.startAt, count + 1).set(block.start.subarray(0, count + 1));
    new Int32Array(buffer, this.mainAt, count).set(block.main.subarray(0, count));
    const out = new Float64Array(buffer, this.outAt, 4 * count);
    const copyOut = (v: Interleaved) => {
      for (let j = 0; j < 4; j++) {
        const o = v.outs[j] as Float64Array;
        for (let r = 0; r < count; r++) o[r0 + r] = out[4 * r + j] as number;
      }
    };
    this.quads.forEach((v, j) => {
      this.k.means4(this.bufAt, this.startAt, this.mainAt, count, this.xAt[j] as number, this.outAt, n);
      copyOut(v);
    });
    this.fours.forEach((v, j) => {
      this.k.sums4(this.bufAt, this.startAt, count, this.xAt[this.quads.length + j] as number, this.outAt);
      copyOut(v);
    });
  }

  /** A large table's vectors are not kept: the next draw starts with a fresh, small memory. */
  done(): void {
    if (this.k.memory.buffer.byteLength > KEEP_BYTES) instance = null;
  }

  private reserve(bytes: number): void {
    const mem = this.k.memory;
    if (bytes > mem.buffer.byteLength) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / PAGE));
  }
}
