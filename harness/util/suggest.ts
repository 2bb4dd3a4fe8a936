import { distance } from 'fastest-levenshtein';

/** Candidates close enough to `input` to be a likely typo, best first. */
export function suggest(input: string, candidates: readonly string[], max = 3): string[] {
  const lower = input.toLowerCase();
  const scored = [...new Set(candidates)]
    .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
    .filter(
      ({ c, d }) =>
        d <= Math.max(2, Math.floor(Math.max(c.length, input.length) / 3)) ||
        c.toLowerCase().startsWith(lower) ||
        lower.startsWith(c.toLowerCase()),
    )
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return scored.slice(0, max).map((s) => s.c);
}

export function didYouMean(input: string, candidates: readonly string[]): string {
  const s = suggest(input, candidates);
  return s.length > 0 ? ` Did you mean ${s.map((x) => `"${x}"`).join(' or ')}?` : '';
}
