import type { PredictionLine } from '../results/prediction-line.js';

/** One distinct error: its message (request keys and long numbers blanked), how many units met it, one of them. */
export interface DistinctError {
  readonly kind: string;
  readonly message: string;
  readonly count: number;
  readonly example: string;
}

/** Messages that differ only in a cache key, a hash or a count are the same error. */
export function errorShape(message: string): string {
  return message
    .replace(/\b[0-9a-f]{12,}\b/g, '…')
    .replace(/\b\d{7,}\b/g, 'N')
    .slice(0, 300);
}

/** The distinct errors of some lines, most frequent first (ties: first met). */
export function distinctErrors(lines: Iterable<PredictionLine>): DistinctError[] {
  const by = new Map<string, { kind: string; message: string; count: number; example: string }>();
  for (const line of lines) {
    if (!line.error) continue;
    const shape = `${line.error.kind}: ${errorShape(line.error.message)}`;
    const known = by.get(shape);
    if (known) known.count++;
    else by.set(shape, { kind: line.error.kind, message: errorShape(line.error.message), count: 1, example: line.id });
  }
  return [...by.values()].sort((a, b) => b.count - a.count);
}

/** "12× parse: …  (e.g. unit 3f2a…)", one per line, the first `top`. */
export function formatErrors(errors: readonly DistinctError[], top: number, indent = '  '): string {
  const lines = errors
    .slice(0, top)
    .map((e) => `${indent}${e.count}× ${e.kind}: ${e.message} (e.g. unit ${e.example})`);
  if (errors.length > top) lines.push(`${indent}… and ${errors.length - top} other distinct error(s)`);
  return lines.join('\n');
}
