import type { Usage } from './types.js';

/** Calls, tokens and cost, summed per unit, per cell and per run. */
export interface UsageTotals {
  calls: number;
  cacheHits: number;
  input: number;
  cachedInput: number;
  output: number;
  costUsd: number;
}

export function emptyTotals(): UsageTotals {
  return { calls: 0, cacheHits: 0, input: 0, cachedInput: 0, output: 0, costUsd: 0 };
}

export function addUsage(t: UsageTotals, u: Usage, costUsd: number, cached: boolean): void {
  t.calls += 1;
  if (cached) t.cacheHits += 1;
  t.input += u.input;
  t.cachedInput += u.cachedInput;
  t.output += u.output;
  t.costUsd += costUsd;
}

export function addTotals(into: UsageTotals, from: UsageTotals): void {
  into.calls += from.calls;
  into.cacheHits += from.cacheHits;
  into.input += from.input;
  into.cachedInput += from.cachedInput;
  into.output += from.output;
  into.costUsd += from.costUsd;
}
