/** Runs `f` over `xs` with at most `limit` in flight; results keep the input order. */
export async function mapPool<T, R>(xs: readonly T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await f(xs[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
}

/** Transitions worked on at once in fit; the LLM door limits the provider's concurrency on top of this. */
export const FIT_CONCURRENCY = 16;
