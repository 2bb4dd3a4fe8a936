/**
 * Per-class (tp, fp, fn) counts of one unit, flattened: [tp₀, fp₀, fn₀, tp₁, …].
 * Summing the vectors of several units gives the counts of their pooled steps,
 * which is what lets the bootstrap resample units and recompute a macro F1.
 */
export function classCounts<T extends string | number | boolean>(
  predicted: readonly T[],
  gold: readonly T[],
  classes: readonly T[],
): number[] {
  // Empty is fine here: a unit may have no steps of a kind (a session without clicks), and adds nothing.
  if (predicted.length !== gold.length)
    throw new RangeError(`classCounts: predicted has ${predicted.length} values but gold has ${gold.length}`);
  const out = new Array<number>(classes.length * 3).fill(0);
  classes.forEach((c, k) => {
    for (let i = 0; i < gold.length; i++) {
      const p = predicted[i] === c;
      const g = gold[i] === c;
      if (p && g) out[3 * k] = (out[3 * k] as number) + 1;
      else if (p) out[3 * k + 1] = (out[3 * k + 1] as number) + 1;
      else if (g) out[3 * k + 2] = (out[3 * k + 2] as number) + 1;
    }
  });
  return out;
}

/**
 * How the per-class F1 values of summed counts become one number:
 * - `macro`: the mean over the classes of the list that occur (in gold or
 *   prediction). When every label is in the class list this is scikit-learn's
 *   `f1_score(average='macro')` without `labels`; a prediction outside the
 *   list (next-action's "not a click" on a gold click) counts only as a miss of
 *   the gold class, as with `labels=` set to the list but without its zero
 *   components for classes that never occur.
 * - `macro-all`: the mean over every class of the list, a class that never
 *   occurs counting 0 (`f1_score(labels=<the list>, average='macro')`).
 * - `weighted`: the mean weighted by each class's gold support (tp + fn),
 *   `f1_score(average='weighted')`; 0 when no gold label is in the list.
 * With one class (the positive one) `macro` is the binary F1, 0 when the class
 * never occurs (scikit-learn's zero_division=0).
 */
export type F1Average = 'macro' | 'macro-all' | 'weighted';

export function f1FromCounts(counts: ArrayLike<number>, average: F1Average = 'macro'): number {
  if (counts.length % 3 !== 0)
    throw new RangeError(`f1FromCounts: ${counts.length} counts is not a whole number of (tp, fp, fn) triples`);
  let sum = 0;
  let weight = 0;
  for (let k = 0; k < counts.length; k += 3) {
    const tp = counts[k] as number;
    const fn = counts[k + 2] as number;
    const d = 2 * tp + (counts[k + 1] as number) + fn;
    const f1 = d === 0 ? 0 : (2 * tp) / d;
    if (average === 'weighted') {
      sum += (tp + fn) * f1;
      weight += tp + fn;
    } else if (average === 'macro-all' || d > 0) {
      sum += f1;
      weight++;
    }
  }
  return weight === 0 ? 0 : sum / weight;
}

/** F1 of the units at `indices` (with repeats, as a bootstrap resample draws them; all units when absent). */
export function pooledF1(
  units: readonly (readonly number[])[],
  indices?: Iterable<number>,
  average: F1Average = 'macro',
): number {
  const width = units[0]?.length ?? 0;
  const sum = new Float64Array(width);
  const add = (u: readonly number[]) => {
    if (u.length !== width)
      throw new RangeError(`pooledF1: units have ${u.length} and ${width} counts; every unit needs the same classes`);
    for (let j = 0; j < width; j++) sum[j] = (sum[j] as number) + (u[j] as number);
  };
  if (indices) for (const k of indices) add(units[k] as readonly number[]);
  else for (const u of units) add(u);
  return f1FromCounts(sum, average);
}
