type Typed = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

/** A copy of `a` with room for `size` elements (the rest zero): how the columnar stores grow. */
export function grown<T extends Typed>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
