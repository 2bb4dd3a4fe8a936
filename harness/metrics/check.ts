/** Shared argument checks: metrics of empty or mismatched inputs are errors, never NaN. */
export function checkPaired(name: string, a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new RangeError(`${name}: predicted has ${a.length} values but gold has ${b.length}`);
  if (a.length === 0) throw new RangeError(`${name}: no values to score`);
}
