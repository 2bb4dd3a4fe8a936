import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Gemm, gemmModule, gemmOn, MAX_PAGES, sharedMemory, WASM_PAGE, type WasmMemory } from './gemm-wasm.js';

/**
 * In-place inverse of a symmetric positive-definite matrix, for EASE's
 * (XᵀX + λI)⁻¹, by blocks: A = LLᵀ (left-looking blocked Cholesky),
 * V = L⁻ᵀ (blocked triangular inverse), A⁻¹ = VVᵀ. Each step is n³/6
 * multiply-adds, nearly all of them in the WebAssembly SIMD kernel of
 * gemm-wasm.ts on NB×NB blocks; only the small diagonal blocks are factored in
 * plain JavaScript. Why not the old row-by-row Cholesky: its dot products
 * streamed whole rows from memory for every entry, under 0.5 G multiply-adds/s
 * at 3,706 items, against about 6 G per core here.
 *
 * One matrix of N×N doubles (N = n rounded up to a multiple of 4, the padding
 * an identity) lives in a shared WebAssembly memory, so the inverse needs
 * 8·N² bytes, not the 16·n² of an input and an output, and wasm32's 4 GiB
 * bounds n at about 23,000. The blocks are independent tasks on a shared
 * queue: worker threads (one less than the cores) take them as the main thread
 * does, and since every block is computed by the same sequence of kernel calls
 * whoever takes it, the result is bitwise the same for any number of threads.
 *
 * Layout (A's lower triangle in, the full inverse out):
 * - after the Cholesky, the lower triangle holds L (its upper triangle is never read);
 * - the triangular inverse writes V = L⁻ᵀ over the strictly upper blocks, and the
 *   diagonal blocks of W = L⁻¹ and of V go to side arrays (they overlap there);
 * - VVᵀ is written into the lower blocks, which read only upper blocks, then mirrored.
 */

/** Rows of a block. A multiple of 4 (the kernel's tile); 64 keeps a k-chunk panel in L2. */
const NB = 64;
/** Below this padded size a worker thread costs more to start than it saves. */
const THREADS_FROM = 512;

export interface SpdWorkspace {
  /** Rows and columns asked for. */
  readonly n: number;
  /** Padded size: the matrix is row-major N×N at `f[0 .. N²)`. */
  readonly stride: number;
  /** A view over the whole workspace memory. */
  readonly f: Float64Array;
  readonly memory: WasmMemory;
}

const roundUp4 = (n: number) => Math.max(4, Math.ceil(n / 4) * 4);
const blockCount = (N: number) => Math.ceil(N / NB);
/** Threads a workspace has scratch blocks for: the cores, and at least two so that tests can run two anywhere. */
const maxThreads = () => Math.max(2, availableParallelism());
const workspaceDoubles = (N: number) => N * N + (2 * blockCount(N) + maxThreads()) * NB * NB;

/** Bytes an n×n workspace takes, for a refusal message before allocating. */
export function spdWorkspaceBytes(n: number): number {
  return 8 * workspaceDoubles(roundUp4(n));
}

/** Largest n whose workspace fits in wasm32's 4 GiB. */
export function maxSpdSize(): number {
  let n = Math.floor(Math.sqrt((MAX_PAGES * WASM_PAGE) / 8));
  while (spdWorkspaceBytes(n) > MAX_PAGES * WASM_PAGE) n -= 4;
  return n;
}

/** A zeroed workspace for an n×n matrix: write A's lower triangle into `f` at row stride `stride`. */
export function spdWorkspace(n: number): SpdWorkspace {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`spdWorkspace: n must be a positive integer, got ${n}`);
  const N = roundUp4(n);
  const bytes = spdWorkspaceBytes(n);
  if (bytes > MAX_PAGES * WASM_PAGE)
    throw new RangeError(
      `spdWorkspace: a ${n}×${n} matrix needs ${(bytes / 2 ** 30).toFixed(2)} GiB, more than the 4 GiB of WebAssembly memory`,
    );
  const memory = sharedMemory(Math.ceil(bytes / WASM_PAGE));
  return { n, stride: N, memory, f: new Float64Array(memory.buffer) };
}

export interface SpdInverseStats {
  readonly n: number;
  readonly threads: number;
  /** Block tasks in all, and how many of them worker threads took (the main thread took the rest). */
  readonly tasks: number;
  readonly workerTasks: number;
}

/**
 * Replaces the SPD matrix in `ws` (its lower triangle, row stride `ws.stride`)
 * by its full inverse, rows and columns `n ..` of the padding excluded.
 * `threads`: how many cores to use (default: all). Throws when the matrix is
 * not positive definite.
 */
export function invertSpdInPlace(ws: SpdWorkspace, threads = availableParallelism()): SpdInverseStats {
  const { n, stride: N, f } = ws;
  for (let i = n; i < N; i++) {
    f.fill(0, i * N, i * N + i);
    f[i * N + i] = 1;
  }
  const pool = new BlockPool(ws, N >= THREADS_FROM ? Math.min(maxThreads(), Math.max(1, threads)) : 1);
  try {
    new Blocked(ws, pool).run();
    return { n, threads: pool.threads, tasks: pool.allTasks, workerTasks: pool.workerTasks };
  } finally {
    pool.close();
  }
}

/**
 * Inverse of the symmetric positive-definite row-major n×n matrix `a` (only its
 * lower triangle is read; `a` is not changed), as a new n×n array.
 */
export function invertSpd(a: Float64Array, n: number, threads?: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`invertSpd: expected ${n}×${n} = ${n * n} values, got ${a.length}`);
  const ws = spdWorkspace(n);
  const N = ws.stride;
  for (let i = 0; i < n; i++) ws.f.set(a.subarray(i * n, i * n + i + 1), i * N);
  invertSpdInPlace(ws, threads);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out.set(ws.f.subarray(i * N, i * N + n), i * n);
  return out;
}

/**
 * One kernel call in a task, 12 doubles: c, ldc, a, lda, b, ldb, m, nn, kk,
 * scale, accumulate (addresses and strides in bytes, as the kernel takes them)
 * and `temp`: bit 0 / 1 / 2 adds the executing thread's scratch block address
 * to c / a / b. A kk of 0 only clears C (when not accumulating), a kk of −1
 * copies the m×nn block at a into c.
 */
const OP = 12;

/**
 * The three passes over blocks. Block I is rows (and columns) r0(I) … r0(I) +
 * size(I) − 1; addresses are bytes into the workspace memory.
 */
class Blocked {
  private readonly N: number;
  private readonly blocks: number;
  private readonly f: Float64Array;

  constructor(
    ws: SpdWorkspace,
    private readonly pool: BlockPool,
  ) {
    this.N = ws.stride;
    this.blocks = blockCount(this.N);
    this.f = ws.f;
  }

  private r0 = (b: number) => b * NB;
  private size = (b: number) => Math.min(NB, this.N - b * NB);
  /** Byte address of M[i][j]. */
  private at = (i: number, j: number) => 8 * (i * this.N + j);
  /** Byte address of diagonal block b of W = L⁻¹ (lower, zeros above) or of V = Wᵀ. */
  private wd = (b: number) => 8 * (this.N * this.N + b * NB * NB);
  private vd = (b: number) => 8 * (this.N * this.N + (this.blocks + b) * NB * NB);

  run(): void {
    this.cholesky();
    this.triangularInverse();
    this.product();
    this.mirror();
  }

  /** Lower blocks of M become L, block row by block row; row chunks of a block row are independent tasks. */
  private cholesky(): void {
    const { pool, N } = this;
    const ld = 8 * N;
    const ldd = 8 * NB;
    const chunk = 16;
    for (let I = 0; I < this.blocks; I++) {
      const r0 = this.r0(I);
      const s = this.size(I);
      if (I > 0) {
        for (let q = 0; q < s; q += chunk) {
          const rq = r0 + q;
          const h = Math.min(chunk, s - q);
          for (let J = 0; J < I; J++) {
            const c0 = this.r0(J);
            const sj = this.size(J);
            // C = A[rows, J] − L[rows, 0:c0]·L[J, 0:c0]ᵀ, then L[rows, J] = C·L_JJ⁻ᵀ = C·W_JJᵀ
            if (c0 > 0) pool.op(this.at(rq, c0), ld, this.at(rq, 0), ld, this.at(c0, 0), ld, h, sj, c0, -1, true);
            pool.op(0, ldd, this.at(rq, c0), ld, 0, 0, h, sj, -1, 0, false, 1);
            pool.op(this.at(rq, c0), ld, 0, ldd, this.wd(J), ldd, h, sj, sj, 1, false, 2);
          }
          pool.endTask();
        }
        pool.run();
        for (let q = 0; q < s; q += chunk) {
          const h = Math.min(chunk, s - q);
          pool.op(this.at(r0 + q, r0), ld, this.at(r0 + q, 0), ld, this.at(r0, 0), ld, h, s, r0, -1, true);
          pool.endTask();
        }
        pool.run();
      }
      this.factorDiagonal(I);
    }
  }

  /** Cholesky of the diagonal block (already reduced by the blocks to its left), and its triangular inverse. */
  private factorDiagonal(I: number): void {
    const { f, N } = this;
    const r0 = this.r0(I);
    const s = this.size(I);
    const d = r0 * N + r0;
    for (let i = 0; i < s; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = f[d + i * N + j] as number;
        for (let k = 0; k < j; k++) sum -= (f[d + i * N + k] as number) * (f[d + j * N + k] as number);
        if (j < i) f[d + i * N + j] = sum / (f[d + j * N + j] as number);
        else if (sum > 0) f[d + i * N + i] = Math.sqrt(sum);
        else throw new RangeError(`invertSpd: the matrix is not positive definite (pivot ${r0 + i} is ${sum})`);
      }
    }
    const w = this.wd(I) / 8;
    const v = this.vd(I) / 8;
    for (let i = 0; i < s; i++) {
      const lii = f[d + i * N + i] as number;
      for (let j = 0; j < i; j++) {
        let sum = 0;
        for (let k = j; k < i; k++) sum += (f[d + i * N + k] as number) * (f[w + k * NB + j] as number);
        f[w + i * NB + j] = -sum / lii;
      }
      f[w + i * NB + i] = 1 / lii;
      for (let j = 0; j <= i; j++) f[v + j * NB + i] = f[w + i * NB + j] as number;
    }
  }

  /**
   * V = L⁻ᵀ into the strictly upper blocks: V[J,I] = −(Σ_{J≤K<I} V[J,K]·L[I,K]ᵀ)·V_II
   * for J < I. A block row J of V depends only on itself, so each is one task.
   */
  private triangularInverse(): void {
    const { pool, N } = this;
    const ld = 8 * N;
    const ldd = 8 * NB;
    for (let J = 0; J < this.blocks - 1; J++) {
      const c0 = this.r0(J);
      const sj = this.size(J);
      const next = c0 + sj;
      for (let I = J + 1; I < this.blocks; I++) {
        const r0 = this.r0(I);
        const si = this.size(I);
        pool.op(0, ldd, this.vd(J), ldd, this.at(r0, c0), ld, sj, si, sj, 1, false, 1);
        if (r0 > next) pool.op(0, ldd, this.at(c0, next), ld, this.at(r0, next), ld, sj, si, r0 - next, 1, true, 1);
        pool.op(this.at(c0, r0), ld, 0, ldd, this.wd(I), ldd, sj, si, si, -1, false, 2);
      }
      pool.endTask();
    }
    pool.run();
  }

  /**
   * A⁻¹ = VVᵀ into the lower blocks: P[I,J] = V_II·V[J,I]ᵀ + Σ_{K>I} V[I,K]·V[J,K]ᵀ
   * for J ≤ I, reading only upper blocks; one task per block row, largest first.
   */
  private product(): void {
    const { pool, N } = this;
    const ld = 8 * N;
    const ldd = 8 * NB;
    const rows = Array.from({ length: this.blocks }, (_, I) => I);
    rows.sort((a, b) => (b + 1) * (this.blocks - b) - (a + 1) * (this.blocks - a) || a - b);
    for (const I of rows) {
      const r0 = this.r0(I);
      const si = this.size(I);
      const rest = r0 + si;
      for (let J = 0; J <= I; J++) {
        const c0 = this.r0(J);
        const sj = this.size(J);
        const right = J === I ? this.vd(I) : this.at(c0, r0);
        pool.op(this.at(r0, c0), ld, this.vd(I), ldd, right, J === I ? ldd : ld, si, sj, si, 1, false);
        if (rest < N)
          pool.op(this.at(r0, c0), ld, this.at(r0, rest), ld, this.at(c0, rest), ld, si, sj, N - rest, 1, true);
      }
      pool.endTask();
    }
    pool.run();
  }

  /** The lower triangle onto the upper one, by tiles so both sides stay in cache. */
  private mirror(): void {
    const { f, N } = this;
    const T = 32;
    for (let i0 = 0; i0 < N; i0 += T) {
      for (let j0 = 0; j0 <= i0; j0 += T) {
        for (let i = i0; i < Math.min(i0 + T, N); i++) {
          for (let j = j0; j < Math.min(j0 + T, i); j++) f[j * N + i] = f[i * N + j] as number;
        }
      }
    }
  }
}

/** The per-thread executor, also the worker's source: plain JavaScript, so a worker needs no loader. */
function runTasks(
  gemm: Gemm,
  ops: Float64Array,
  taskStart: Int32Array,
  ctl: Int32Array,
  gen: number,
  scratch: number,
  f: Float64Array,
): number {
  const NEXT = 1;
  const TOTAL = 2;
  const DONE = 3;
  const FAILED = 4;
  let taken = 0;
  for (;;) {
    const v = Atomics.load(ctl, NEXT);
    if (v >>> 16 !== gen) return taken;
    const t = v & 0xffff;
    if (t >= Atomics.load(ctl, TOTAL)) return taken;
    if (Atomics.compareExchange(ctl, NEXT, v, v + 1) !== v) continue;
    taken++;
    try {
      for (let p = taskStart[t] as number; p < (taskStart[t + 1] as number); p += 12) {
        const temp = ops[p + 11] as number;
        const c = (ops[p] as number) + (temp & 1 ? scratch : 0);
        const a = (ops[p + 2] as number) + (temp & 2 ? scratch : 0);
        const b = (ops[p + 4] as number) + (temp & 4 ? scratch : 0);
        const ldc = ops[p + 1] as number;
        const m = ops[p + 6] as number;
        const nn = ops[p + 7] as number;
        const kk = ops[p + 8] as number;
        const accumulate = ops[p + 10] as number;
        const lda = ops[p + 3] as number;
        if (kk > 0) gemm(c, ldc, a, lda, b, ops[p + 5] as number, m, nn, kk, ops[p + 9] as number, accumulate);
        else if (kk < 0)
          for (let r = 0; r < m; r++) f.copyWithin((c + r * ldc) / 8, (a + r * lda) / 8, (a + r * lda) / 8 + nn);
        else if (!accumulate) for (let r = 0; r < m; r++) f.fill(0, (c + r * ldc) / 8, (c + r * ldc) / 8 + nn);
      }
    } catch {
      Atomics.store(ctl, FAILED, 1);
    }
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
  }
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, ops, starts, scratch } = workerData;
const gemm = new WebAssembly.Instance(module, { env: { mem: memory } }).exports.gemm;
const f = new Float64Array(memory.buffer);
const ctl = new Int32Array(control);
const runTasks = ${runTasks.toString()};
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  if (seen < 0) break;
  const taken = runTasks(gemm, new Float64Array(ops), new Int32Array(starts), ctl, seen & 0x7fff, scratch, f);
  Atomics.add(ctl, 5, taken);
}
`;

/**
 * Tasks on a shared queue. The claim counter packs the batch's generation with
 * the task index, so a thread still finishing one batch can never take a task
 * of the next by mistake. The queue's buffers are handed to the workers once, so
 * they are sized for the largest batch of the blocked inverse up front.
 */
class BlockPool {
  private readonly gemm: Gemm;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly ops: Float64Array;
  private readonly starts: Int32Array;
  private readonly workers: Worker[] = [];
  private gen = 0;
  private opCount = 0;
  private tasks = 0;
  allTasks = 0;
  readonly scratch: number[];

  constructor(
    private readonly ws: SpdWorkspace,
    readonly threads: number,
  ) {
    this.gemm = gemmOn(ws.memory);
    const N = ws.stride;
    const blocks = blockCount(N);
    const first = 8 * (N * N + 2 * blocks * NB * NB);
    this.scratch = Array.from({ length: threads }, (_, t) => first + 8 * t * NB * NB);
    this.ops = new Float64Array(new SharedArrayBuffer(8 * OP * (3 * blocks * blocks + 64)));
    this.starts = new Int32Array(new SharedArrayBuffer(4 * (blocks + 64)));
  }

  /** Appends a kernel call to the task being built. */
  op(
    c: number,
    ldc: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    m: number,
    nn: number,
    kk: number,
    scale: number,
    accumulate: boolean,
    temp = 0,
  ): void {
    if ((this.opCount + 1) * OP > this.ops.length) throw new RangeError('BlockPool: more kernel calls than sized for');
    this.ops.set([c, ldc, a, lda, b, ldb, m, nn, kk, scale, accumulate ? 1 : 0, temp], this.opCount * OP);
    this.opCount++;
  }

  endTask(): void {
    if (this.tasks + 2 > this.starts.length) throw new RangeError('BlockPool: more tasks than sized for');
    this.starts[++this.tasks] = this.opCount * OP;
  }

  /** Tasks the worker threads have taken so far. */
  get workerTasks(): number {
    return Atomics.load(this.ctl, 5);
  }

  /** Runs the tasks built since the last call, on every thread, and returns when all are done. */
  run(): void {
    const total = this.tasks;
    if (total === 0) return;
    if (this.threads > 1 && this.workers.length === 0) this.startWorkers();
    this.gen = (this.gen + 1) & 0x7fff;
    const { ctl } = this;
    Atomics.store(ctl, 2, total);
    Atomics.store(ctl, 3, 0);
    Atomics.store(ctl, 4, 0);
    Atomics.store(ctl, 1, this.gen << 16);
    Atomics.store(ctl, 0, this.gen);
    Atomics.notify(ctl, 0);
    this.allTasks += total;
    runTasks(this.gemm, this.ops, this.starts, ctl, this.gen, this.scratch[0] as number, this.ws.f);
    for (let done = Atomics.load(ctl, 3); done < total; done = Atomics.load(ctl, 3)) {
      if (Atomics.wait(ctl, 3, done, 600_000) === 'timed-out')
        throw new Error('invertSpd: a worker thread took more than 10 minutes on one block');
    }
    if (Atomics.load(ctl, 4) !== 0) throw new Error('invertSpd: a kernel call failed');
    this.opCount = 0;
    this.tasks = 0;
  }

  private startWorkers(): void {
    for (let t = 1; t < this.threads; t++) {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          module: gemmModule(),
          memory: this.ws.memory,
          control: this.ctl.buffer,
          ops: this.ops.buffer,
          starts: this.starts.buffer,
          scratch: this.scratch[t],
        },
      });
      w.unref();
      this.workers.push(w);
    }
  }

  close(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.ctl, 0, -1);
    Atomics.notify(this.ctl, 0);
    for (const w of this.workers) void w.terminate();
  }
}
