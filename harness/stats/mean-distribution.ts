import {
  fewValues,
  preferFewValues,
  resampleMeans,
  resampleMeansFewValues,
  resampleMeansPair,
  Stream,
} from './resample.js';

/**
 * Bootstrap distributions of the mean -- the default statistic, and the hot path of a
 * results table (a CI per cell, a paired test per method).
 *
 * - Data with at most MAX_FEW distinct values (binary accuracies, their paired
 *   differences in {-1, 0, 1}, ...) are resampled through their multinomial counts
 *   (resampleMeansFewValues): k - 1 binomial draws per resample instead of n index draws.
 * - Otherwise n indices are drawn per resample (resampleMeans). These distributions
 *   are memoised by (seed, B, data): a paired test of a against b with the seed of
 *   their CIs reuses the CIs' resample means, since mean(a*) - mean(b*) on common
 *   indices is all it needs. The memo is invisible in the results: a hit returns
 *   exactly the numbers a recomputation would (the kernels are deterministic and
 *   resampleMeansPair is bitwise resampleMeans on each array).
 */
const MAX_FEW = 8;

interface MemoEntry {
  x: Float64Array;
  dist: Float64Array;
}

const memo = new Map<string, MemoEntry>();
let memoBytes = 0;
/** Upper bound on memoised bytes (data copies plus distributions). */
const MEMO_LIMIT = 64 * 1024 * 1024;

function hashValues(x: Float64Array): string {
  const words = new Uint32Array(x.buffer, x.byteOffset, x.length * 2);
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as number;
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 ^ w, 0x85ebca6b) ^ (h2 >>> 13);
  }
  return `${x.length}:${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  const wb = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
  return true;
}

function memoKey(x: Float64Array, B: number, seed: number | string): string {
  // Rng seeds by String(seed), so 7 and '7' are the same stream.
  return `${B}|${hashValues(x)}|${String(seed)}`;
}

function memoGet(key: string, x: Float64Array): Float64Array | undefined {
  const e = memo.get(key);
  return e !== undefined && sameBits(e.x, x) ? e.dist : undefined;
}

function memoPut(key: string, x: Float64Array, dist: Float64Array): void {
  const bytes = x.byteLength + dist.byteLength;
  if (bytes > MEMO_LIMIT) return;
  const old = memo.get(key);
  if (old !== undefined) {
    memoBytes -= old.x.byteLength + old.dist.byteLength;
    memo.delete(key);
  }
  while (memoBytes + bytes > MEMO_LIMIT && memo.size > 0) {
    const [k, e] = memo.entries().next().value as [string, MemoEntry];
    memoBytes -= e.x.byteLength + e.dist.byteLength;
    memo.delete(k);
  }
  memo.set(key, { x: x.slice(), dist: dist.slice() });
  memoBytes += bytes;
}

/** Empties the memo (tests use it to check that results do not depend on it). */
export function clearMeanDistributionMemo(): void {
  memo.clear();
  memoBytes = 0;
}

/** Index-resampled means of x, through the memo. Returns an array the caller may modify. */
function indexMeans(x: Float64Array, B: number, seed: number | string): Float64Array {
  const key = memoKey(x, B, seed);
  const hit = memoGet(key, x);
  if (hit !== undefined) return hit.slice();
  const out = new Float64Array(B);
  resampleMeans(x, B, new Stream(seed), out);
  memoPut(key, x, out);
  return out;
}

/** B bootstrap replicates of mean(x*) for the seed. */
export function meanDistribution(x: Float64Array, B: number, seed: number | string): Float64Array {
  const few = fewValues(x, MAX_FEW);
  if (few !== undefined && preferFewValues(few.values.length, x.length)) {
    const out = new Float64Array(B);
    resampleMeansFewValues(few.values, few.counts, B, new Stream(seed), out);
    return out;
  }
  return indexMeans(x, B, seed);
}

/** B bootstrap replicates of mean(a*) - mean(b*), pairs resampled together. */
export function meanDifferenceDistribution(
  a: Float64Array,
  b: Float64Array,
  B: number,
  seed: number | string,
): Float64Array {
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) - (b[i] as number);
  const few = fewValues(d, MAX_FEW);
  if (few !== undefined && preferFewValues(few.values.length, n)) {
    const out = new Float64Array(B);
    resampleMeansFewValues(few.values, few.counts, B, new Stream(seed), out);
    return out;
  }
  const keyA = memoKey(a, B, seed);
  const keyB = memoKey(b, B, seed);
  let distA = memoGet(keyA, a);
  let distB = memoGet(keyB, b);
  if (distA === undefined && distB === undefined) {
    distA = new Float64Array(B);
    distB = new Float64Array(B);
    const ab = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      ab[2 * i] = a[i] as number;
      ab[2 * i + 1] = b[i] as number;
    }
    resampleMeansPair(ab, B, new Stream(seed), distA, distB);
    memoPut(keyA, a, distA);
    memoPut(keyB, b, distB);
  } else {
    distA ??= indexMeans(a, B, seed);
    distB ??= indexMeans(b, B, seed);
  }
  const out = new Float64Array(B);
  for (let r = 0; r < B; r++) out[r] = (distA[r] as number) - (distB[r] as number);
  return out;
}
