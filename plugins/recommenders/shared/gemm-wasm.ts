/**
 * The one hot loop of EASE's dense inverse, C = [C +] s·A·Bᵀ on row-major f64
 * blocks, as a WebAssembly SIMD function assembled here at load time.
 *
 * Why WebAssembly: measured on the 2-core development machine, the best pure
 * JavaScript register-blocked kernel (4×4 accumulators on Float64Array) reached
 * 2.2 G multiply-adds/s on one core, this f64x2 kernel 7.4 — the 128-bit peak of
 * that core. Node 20 runs WebAssembly SIMD and shared memories without flags.
 *
 * Why assembled from bytes here rather than a committed .wasm file or a
 * compiler: the function is about 90 instructions, so a small encoder keeps the
 * source reviewable in the repository, with no build step, no binary blob and
 * no toolchain download. No linear-algebra package on npm runs f64 at this
 * speed on Node without native binaries: the pure-JS ones (mathjs, ml-matrix,
 * @stdlib/lapack) are unblocked reference loops, slower than the old code here.
 *
 * Contract of `gemm(c, ldc, a, lda, b, ldb, m, nn, kk, scale, accumulate)`:
 * addresses and leading dimensions in bytes; for i < m, j < nn,
 * C[i][j] = (accumulate ? C[i][j] : 0) + scale·Σ_{k<kk} A[i][k]·B[j][k].
 * m and nn must be multiples of 4 and kk a positive multiple of 4. The sum runs
 * over k in chunks of KC so that a 64-row panel of A and B stays in L2 cache.
 */

/** The parts of the WebAssembly JS API used here (the project's TS lib has no DOM types). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export type Gemm = (
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
  accumulate: number,
) => void;

/** Doubles of k per cache chunk: 64 rows × 256 × 8 bytes = 128 KiB per operand panel. */
const KC = 256;
const MR = 4;
const NR = 4;
export const WASM_PAGE = 65536;
/** wasm32 addresses 4 GiB at most. */
export const MAX_PAGES = 65536;

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const ADD = [0x6a];
const MUL = [0x6c];
const SUB = [0x6b];
const LT_S = [0x48];
const GT_S = [0x4a];
const SHL = [0x74];
const LOOP = [0x03, 0x40];
const IF_I32 = [0x04, I32];
const ELSE = [0x05];
const END = [0x0b];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];
const f64Load = (offset: number) => [0x2b, 3, ...uleb(offset)];
const f64Store = (offset: number) => [0x39, 3, ...uleb(offset)];
const F64_ADD = [0xa0];
const F64_MUL = [0xa2];
const F64_CONST0 = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];
const SELECT = [0x1b];
const v128Load = (offset: number) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)];
const V128_ZERO = [0xfd, ...uleb(0x0c), ...new Array<number>(16).fill(0)];
const F64X2_ADD = [0xfd, ...uleb(0xf0)];
const F64X2_MUL = [0xfd, ...uleb(0xf2)];
const lane = (l: number) => [0xfd, ...uleb(0x21), l];

function gemmBody(): number[] {
  // parameters
  const [C, LDC, A, LDA, B, LDB, M, NN, KK, SCALE, ACC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  let next = 11;
  const local = () => next++;
  const i = local();
  const j = local();
  const k = local();
  const kend = local();
  const k0 = local();
  const flag = local();
  const pa = Array.from({ length: MR }, local);
  const pb = Array.from({ length: NR }, local);
  const pc = local();
  const nI32 = next - 11;
  const acc = Array.from({ length: MR * NR }, local);
  const x = Array.from({ length: MR }, local);
  const y = local();
  const nV128 = next - 11 - nI32;
  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const p of parts) code.push(...p);
  };
  // for (k0 = 0; k0 < kk; k0 += KC): kend = 8·min(KC, kk − k0); flag = accumulate || k0 > 0
  emit(i32(0), set(k0), LOOP);
  emit(get(KK), get(k0), SUB, i32(KC), GT_S, IF_I32, i32(KC * 8), ELSE, get(KK), get(k0), SUB, i32(3), SHL, END);
  emit(set(kend), get(ACC), get(k0), ADD, set(flag));
  emit(i32(0), set(i), LOOP);
  // pa[r] = a + (i + r)·lda + 8·k0
  emit(get(A), get(i), get(LDA), MUL, ADD, get(k0), i32(3), SHL, ADD, tee(pa[0] as number));
  for (let r = 1; r < MR; r++) emit(get(LDA), ADD, r < MR - 1 ? tee(pa[r] as number) : set(pa[r] as number));
  emit(i32(0), set(j), LOOP);
  emit(get(B), get(j), get(LDB), MUL, ADD, get(k0), i32(3), SHL, ADD, tee(pb[0] as number));
  for (let c = 1; c < NR; c++) emit(get(LDB), ADD, c < NR - 1 ? tee(pb[c] as number) : set(pb[c] as number));
  for (const t of acc) emit(V128_ZERO, set(t));
  emit(i32(0), set(k), LOOP);
  for (let half = 0; half < 2; half++) {
    for (let r = 0; r < MR; r++) emit(get(pa[r] as number), get(k), ADD, v128Load(16 * half), set(x[r] as number));
    for (let c = 0; c < NR; c++) {
      emit(get(pb[c] as number), get(k), ADD, v128Load(16 * half), set(y));
      for (let r = 0; r < MR; r++) {
        const t = acc[r * NR + c] as number;
        emit(get(t), get(x[r] as number), get(y), F64X2_MUL, F64X2_ADD, set(t));
      }
    }
  }
  emit(get(k), i32(32), ADD, tee(k), get(kend), LT_S, brIf(0), END);
  // C[i + r][j + c] = (flag ? C : 0) + scale·(lane0 + lane1)
  emit(get(C), get(i), get(LDC), MUL, ADD, get(j), i32(3), SHL, ADD, set(pc));
  for (let r = 0; r < MR; r++) {
    for (let c = 0; c < NR; c++) {
      const t = acc[r * NR + c] as number;
      const addr = () => (r === 0 ? emit(get(pc)) : emit(get(pc), get(LDC), i32(r), MUL, ADD));
      addr();
      emit(get(SCALE), get(t), lane(0), get(t), lane(1), F64_ADD, F64_MUL);
      addr();
      emit(f64Load(8 * c), F64_CONST0, get(flag), SELECT, F64_ADD, f64Store(8 * c));
    }
  }
  emit(get(j), i32(NR), ADD, tee(j), get(NN), LT_S, brIf(0), END);
  emit(get(i), i32(MR), ADD, tee(i), get(M), LT_S, brIf(0), END);
  emit(get(k0), i32(KC), ADD, tee(k0), get(KK), LT_S, brIf(0), END);
  emit(END);
  return [
    ...vec([
      [...uleb(nI32), I32],
      [...uleb(nV128), V128],
    ]),
    ...code,
  ];
}

let cached: Uint8Array | null = null;
/** The module's bytes: one function `gemm`, importing its memory as env.mem (shared, `pages` fixed). */
function moduleBytes(): Uint8Array {
  if (cached) return cached;
  const body = gemmBody();
  const params = [I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, I32].map((t) => [t]);
  cached = Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, vec([[0x60, ...vec(params), 0]])),
    // memory import, shared, limits 1 … MAX_PAGES: one compiled module serves every size
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x03, ...uleb(1), ...uleb(MAX_PAGES)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('gemm'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
  return cached;
}

let compiled: object | null = null;
export function gemmModule(): object {
  compiled ??= new wasm.Module(moduleBytes());
  return compiled;
}

/** A shared memory of `pages` 64 KiB pages (maximum = initial: nothing grows it, so views never detach). */
export function sharedMemory(pages: number): WasmMemory {
  if (pages > MAX_PAGES) throw new RangeError(`gemm-wasm: ${pages} pages exceed the 4 GiB of wasm32 memory`);
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
}

export function gemmOn(memory: WasmMemory): Gemm {
  return new wasm.Instance(gemmModule(), { env: { mem: memory } }).exports['gemm'] as Gemm;
}
