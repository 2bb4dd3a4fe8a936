import { checkLevel, checkResamples, checkSeed, checkValues, mean } from './check.js';
import { normalCdf, normalQuantile } from './distributions.js';
import { quantiles } from './quantile.js';
import { meanDistribution } from './mean-distribution.js';
import { Stream } from './resample.js';
import { SharedResamples } from './shared-resamples.js';

/** A statistic of a sample. It receives a scratch array: it may reorder it but must not keep it. */
export type Statistic = (values: number[]) => number;

export interface BootstrapCiOptions {
  /** Statistic of the sample; the mean when omitted (which takes a fast path). */
  statistic?: Statistic;
  /** Number of bootstrap resamples (the harness uses 10,000). */
  B: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
  /** Seed of the resampling stream; same seed, same interval. */
  seed: number | string;
  /** 'percentile' (default) or 'bca' (bias-corrected and accelerated). */
  method?: 'percentile' | 'bca';
  /**
   * Cluster of each value (e.g. the user of each session), aligned with values. When
   * given, whole clusters are resampled with replacement, keeping all their units, and
   * the statistic receives the concatenated values of the drawn clusters.
   */
  clusters?: readonly (string | number)[];
}

export interface BootstrapCi {
  lo: number;
  hi: number;
  /** The statistic on the original sample. */
  point: number;
  level: number;
  method: 'percentile' | 'bca';
  B: number;
}

const FN = 'bootstrapCi';

/**
 * Two-sided bootstrap confidence interval of a statistic, following
 * scipy.stats.bootstrap (https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.bootstrap.html):
 *
 * - percentile: the alpha/2 and 1 - alpha/2 quantiles (type 7, "linear") of the B
 *   bootstrap replicates, alpha = 1 - level (Efron & Tibshirani 1993, ch. 13);
 * - bca: Efron & Tibshirani 1993, ch. 14.3, eq. 14.14-14.15, with
 *   z0 = Phi^-1((#{theta* < theta} + #{theta* <= theta}) / (2B)) (scipy's convention for
 *   ties) and the acceleration from the jackknife (leave one unit out, or one cluster
 *   out for the cluster bootstrap), a = sum(d^3) / (6 (sum d^2)^1.5), d_i = mean(theta_(.)) - theta_(i).
 *
 * With a single unit (or a single cluster) every resample equals the sample and the
 * interval is [point, point].
 */
export function bootstrapCi(values: readonly number[], options: BootstrapCiOptions): BootstrapCi {
  checkValues(FN, 'values', values);
  if (options === undefined || options === null) throw new TypeError(`${FN}: options { B, level, seed } are required`);
  const B = checkResamples(FN, options.B);
  const level = checkLevel(FN, options.level);
  const seed = checkSeed(FN, options.seed);
  const method = options.method ?? 'percentile';
  if (method !== 'percentile' && method !== 'bca')
    throw new RangeError(`${FN}: method must be 'percentile' or 'bca', got ${JSON.stringify(method)}`);
  const statistic = options.statistic;
  if (statistic !== undefined && typeof statistic !== 'function')
    throw new TypeError(`${FN}: statistic must be a function of a number[]`);

  const x = Float64Array.from(values);
  const plan = options.clusters === undefined ? undefined : clusterPlan(x, options.clusters);
  const point = statistic === undefined ? mean(x) : callStatistic(statistic, Array.from(x));
  const units = plan === undefined ? x.length : plan.G;
  if (units === 1) return { lo: point, hi: point, point, level, method, B };

  let dist: Float64Array;
  if (plan === undefined && statistic === undefined) {
    dist = meanDistribution(x, new SharedResamples(seed, B))();
  } else if (plan !== undefined && statistic === undefined) {
    dist = clusterMeans(plan, new SharedResamples(seed, B))();
  } else {
    const stream = new Stream(seed);
    dist = new Float64Array(B);
    if (plan === undefined) resampleGeneric(x, statistic as Statistic, B, stream, dist);
    else resampleClustersGeneric(x, plan, statistic as Statistic, B, stream, dist);
  }
  const jack = () => (plan === undefined ? jackknife(x, statistic) : jackknifeClusters(x, plan, statistic));
  const { lo, hi } = intervalOf(dist, point, level, method, jack);
  return { lo, hi, point, level, method, B };
}

/**
 * The interval from a bootstrap distribution (reordered in place): its alpha/2 and
 * 1 - alpha/2 quantiles, or for BCa the adjusted levels, with the jackknife values
 * asked for only then.
 */
export function intervalOf(
  dist: Float64Array,
  point: number,
  level: number,
  method: 'percentile' | 'bca',
  jackknifeValues: () => Float64Array,
): { lo: number; hi: number } {
  const alpha = (1 - level) / 2;
  let pLo = alpha;
  let pHi = 1 - alpha;
  if (method === 'bca') [pLo, pHi] = bcaLevels(dist, point, jackknifeValues(), alpha);
  const [lo, hi] = quantiles(dist, [pLo, pHi]) as [number, number];
  return { lo, hi };
}

/**
 * Cluster bootstrap of the mean of all units: G clusters drawn with replacement give
 * (sum of their unit values) / (number of their units), the ratio of the resampled
 * means of the cluster sums and sizes.
 */
function clusterMeans(plan: ClusterPlan, res: SharedResamples): () => Float64Array {
  const sums = res.means(plan.sums);
  const sizes = res.means(plan.sizes);
  return () => {
    const out = sums();
    const z = sizes();
    for (let r = 0; r < out.length; r++) out[r] = (out[r] as number) / (z[r] as number);
    return out;
  };
}

function callStatistic(statistic: Statistic, sample: number[]): number {
  const v = statistic(sample);
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new RangeError(`${FN}: statistic returned ${String(v)} (expected a finite number)`);
  return v;
}

/** Generic statistic: one scratch array reused by every resample. */
function resampleGeneric(x: Float64Array, statistic: Statistic, B: number, stream: Stream, out: Float64Array): void {
  const n = x.length;
  const buf = new Array<number>(n).fill(0);
  const idx = new Int32Array(n);
  for (let r = 0; r < B; r++) {
    stream.drawIndices(n, idx);
    for (let i = 0; i < n; i++) buf[i] = x[idx[i] as number] as number;
    out[r] = callStatistic(statistic, buf);
  }
}

// ---- clusters -------------------------------------------------------------------------

export interface ClusterPlan {
  /** Number of clusters. */
  G: number;
  /** Unit indices of cluster g: order[start[g] .. start[g + 1]). */
  order: Int32Array;
  start: Int32Array;
  /** Sum and number of the values of each cluster. */
  sums: Float64Array;
  sizes: Float64Array;
}

/** Groups the units by cluster, clusters in order of first appearance. */
export function clusterPlan(x: Float64Array, clusters: readonly (string | number)[]): ClusterPlan {
  if (!Array.isArray(clusters)) throw new TypeError(`${FN}: clusters must be an array aligned with values`);
  if (clusters.length !== x.length) {
    throw new RangeError(
      `${FN}: clusters has ${clusters.length} entries but values has ${x.length}; they must be aligned`,
    );
  }
  const id = new Map<string | number, number>();
  const of = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const key = clusters[i];
    if (typeof key !== 'string' && typeof key !== 'number')
      throw new TypeError(`${FN}: clusters[${i}] must be a string or number`);
    let g = id.get(key);
    if (g === undefined) {
      g = id.size;
      id.set(key, g);
    }
    of[i] = g;
  }
  const G = id.size;
  const sizes = new Float64Array(G);
  const sums = new Float64Array(G);
  for (let i = 0; i < x.length; i++) {
    const g = of[i] as number;
    sizes[g] = (sizes[g] as number) + 1;
    sums[g] = (sums[g] as number) + (x[i] as number);
  }
  const start = new Int32Array(G + 1);
  for (let g = 0; g < G; g++) start[g + 1] = (start[g] as number) + (sizes[g] as number);
  const fill = start.slice(0, G);
  const order = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const g = of[i] as number;
    order[fill[g] as number] = i;
    fill[g] = (fill[g] as number) + 1;
  }
  return { G, order, start, sums, sizes };
}

function resampleClustersGeneric(
  x: Float64Array,
  plan: ClusterPlan,
  statistic: Statistic,
  B: number,
  stream: Stream,
  out: Float64Array,
): void {
  const { G, order, start } = plan;
  const buf: number[] = [];
  const drawn = new Int32Array(G);
  for (let r = 0; r < B; r++) {
    stream.drawIndices(G, drawn);
    let len = 0;
    for (let k = 0; k < G; k++) {
      const g = drawn[k] as number;
      const end = start[g + 1] as number;
      for (let j = start[g] as number; j < end; j++) buf[len++] = x[order[j] as number] as number;
    }
    buf.length = len;
    out[r] = callStatistic(statistic, buf);
  }
}

// ---- BCa ----------------------------------------------------------------------------------

/** Leave-one-out values of the statistic. */
export function jackknife(x: Float64Array, statistic: Statistic | undefined): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (statistic === undefined) {
    let total = 0;
    for (let i = 0; i < n; i++) total += x[i] as number;
    for (let i = 0; i < n; i++) out[i] = (total - (x[i] as number)) / (n - 1);
    return out;
  }
  // Refilled for every i: the statistic may reorder its input (e.g. sort it for a median).
  const buf = new Array<number>(n - 1).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0, k = 0; j < n; j++) if (j !== i) buf[k++] = x[j] as number;
    out[i] = callStatistic(statistic, buf);
  }
  return out;
}

/** Leave-one-cluster-out values of the statistic. */
function jackknifeClusters(x: Float64Array, plan: ClusterPlan, statistic: Statistic | undefined): Float64Array {
  const { G, order, start, sums, sizes } = plan;
  const out = new Float64Array(G);
  if (statistic === undefined) {
    let total = 0;
    let count = 0;
    for (let g = 0; g < G; g++) {
      total += sums[g] as number;
      count += sizes[g] as number;
    }
    for (let g = 0; g < G; g++) out[g] = (total - (sums[g] as number)) / (count - (sizes[g] as number));
    return out;
  }
  const buf: number[] = [];
  for (let g = 0; g < G; g++) {
    let len = 0;
    for (let h = 0; h < G; h++) {
      if (h === g) continue;
      const end = start[h + 1] as number;
      for (let j = start[h] as number; j < end; j++) buf[len++] = x[order[j] as number] as number;
    }
    buf.length = len;
    out[g] = callStatistic(statistic, buf);
  }
  return out;
}

/** The adjusted quantile levels (alpha1, alpha2) of the BCa interval. */
export function bcaLevels(dist: Float64Array, point: number, jack: Float64Array, alpha: number): [number, number] {
  const B = dist.length;
  let below = 0;
  let atOrBelow = 0;
  for (let i = 0; i < B; i++) {
    const v = dist[i] as number;
    if (v < point) below++;
    if (v <= point) atOrBelow++;
  }
  // scipy's percentile of score ('mean' kind). If every replicate lies on one side of
  // the point estimate z0 would be infinite (scipy returns NaN); clamp to half a
  // replicate inside the range instead.
  let frac = (below + atOrBelow) / (2 * B);
  frac = Math.min(Math.max(frac, 0.5 / B), 1 - 0.5 / B);
  const z0 = normalQuantile(frac);

  let jm = 0;
  for (let i = 0; i < jack.length; i++) jm += jack[i] as number;
  jm /= jack.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < jack.length; i++) {
    const u = jm - (jack[i] as number);
    num += u * u * u;
    den += u * u;
  }
  // All leave-one-out values equal: no skewness information, no acceleration.
  const a = den > 0 ? num / (6 * den ** 1.5) : 0;

  const level = (z: number): number => {
    const s = z0 + z;
    const denom = 1 - a * s;
    // Past the pole of the correction the adjusted level saturates at 0 or 1.
    if (denom <= 0) return s > 0 ? 1 : 0;
    return normalCdf(z0 + s / denom);
  };
  const zAlpha = normalQuantile(alpha);
  return [level(zAlpha), level(-zAlpha)];
}
