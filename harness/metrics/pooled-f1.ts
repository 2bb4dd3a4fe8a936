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
 * Mean F1 over the classes of the list that occur (in gold or prediction) in
 * the summed counts. When every label is in the class list this is
 * scikit-learn's `f1_score(average='macro')` without `labels`; a prediction
 * outside the list (next-action's "not a click" on a gold click) counts only
 * as a miss of the gold class, as with `labels=` set to the list but without
 * its zero components for classes that never occur. With one class (the
 * positive one) it is the binary F1, 0 when the class never occurs
 * (scikit-learn's zero_division=0).
 */
export function f1FromCounts(counts: ArrayLike<number>): number {
  if (counts.length % 3 !== 0)
    throw new RangeError(`f1FromCounts: ${counts.length} counts is not a whole number of (tp, fp, fn) triples`);
  let sum = 0;
  let present = 0;
  for (let k = 0; k < counts.length; k += 3) {
    const tp = counts[k] as number;
    const d = 2 * tp + (counts[k + 1] as number) + (counts[k + 2] as number);
    if (d === 0) continue;
    sum += (2 * tp) / d;
    present++;
  }
  return present === 0 ? 0 : sum / present;
}

/** F1 of the units at `indices` (with repeats, as a bootstrap resample draws them). */
export function pooledF1(units: readonly (readonly number[])[], indices?: Iterable<number>): number {
  const width = units[0]?.length ?? 0;
  const sum = new Float64Array(width);
  const add = (u: readonly number[]) => {
    if (u.length !== width)
      throw new RangeError(`pooledF1: units have ${u.length} and ${width} counts; every unit needs the same classes`);
    for (let j = 0; j < width; j++) sum[j] = (sum[j] as number) + (u[j] as number);
  };
  if (indices) for (const k of indices) add(units[k] as readonly number[]);
  else for (const u of units) add(u);
  return f1FromCounts(sum);
}
