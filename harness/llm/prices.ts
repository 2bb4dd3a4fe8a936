import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { LlmRequest, Usage } from './types.js';

export interface Price {
  readonly input: number;
  readonly cachedInput?: number;
  readonly output: number;
}

export interface PriceTable {
  readonly asOf: string;
  readonly models: Readonly<Record<string, Price>>;
}

export function loadPriceTable(overrides: Readonly<Record<string, Price>> = {}): PriceTable {
  const base = parse(readFileSync(new URL('./prices.yaml', import.meta.url), 'utf8')) as {
    asOf: string;
    models: Record<string, Price>;
  };
  return { asOf: String(base.asOf), models: { ...base.models, ...overrides } };
}

/** The price of a model: exact name, else the longest listed prefix (dated versions share a price). */
export function priceOf(table: PriceTable, model: string): Price | null {
  const exact = table.models[model];
  if (exact) return exact;
  let best: string | null = null;
  for (const name of Object.keys(table.models))
    if (model.startsWith(name) && (best === null || name.length > best.length)) best = name;
  return best === null ? null : (table.models[best] as Price);
}

/** USD for one call; cached input tokens are billed at the cached rate (input rate when none is listed). */
export function costOf(price: Price | null, usage: Usage, discount = 1): number {
  if (!price) return 0;
  const fresh = Math.max(0, usage.input - usage.cachedInput);
  const usd =
    (fresh * price.input + usage.cachedInput * (price.cachedInput ?? price.input) + usage.output * price.output) / 1e6;
  return usd * discount;
}

/** Output tokens assumed for the cost limit's worst case when a request sets no maxTokens. */
const DEFAULT_WORST_OUTPUT = 1024;

/** The most a request can cost: its prompt (about three characters a token, to err high) and all of maxTokens. */
export function worstCostUsd(prices: PriceTable, model: string, request: LlmRequest): number {
  const price = priceOf(prices, model);
  if (!price) return 0;
  const chars =
    request.messages.reduce((s, m) => s + m.content.length + 16, 0) +
    (request.schema ? JSON.stringify(request.schema).length : 0);
  return costOf(price, {
    input: Math.ceil(chars / 3) + 16,
    cachedInput: 0,
    output: request.maxTokens ?? DEFAULT_WORST_OUTPUT,
  });
}
