import type { Session } from '../data/sessions.js';

/** A product of the text shop's catalog, as the sessions' steps show it. */
export interface ShopItem {
  readonly asin: string;
  readonly title: string;
  readonly price: string | null;
  readonly options: Readonly<Record<string, readonly string[]>>;
}

/** Unique products (by asin, first seen wins; option values merged) of the given sessions' steps' `products`. */
export function catalogOf(sessions: readonly Session[]): ShopItem[] {
  const byAsin = new Map<
    string,
    { asin: string; title: string; price: string | null; options: Map<string, string[]> }
  >();
  for (const s of sessions) {
    for (const st of s.steps) {
      for (const p of st.products) {
        const asin = p.asin.trim();
        if (asin === '') continue;
        const title = p.title.trim();
        const price = p.price?.trim() || null;
        let e = byAsin.get(asin);
        if (!e) byAsin.set(asin, (e = { asin, title, price, options: new Map() }));
        else {
          if (e.title === '') e.title = title;
          if (e.price === null) e.price = price;
        }
        for (const o of p.options) {
          for (const [k, v] of Object.entries(o)) {
            const dim = k.trim();
            const value = String(v).trim();
            if (dim === '' || value === '') continue;
            let values = e.options.get(dim);
            if (!values) e.options.set(dim, (values = []));
            if (!values.includes(value)) values.push(value);
          }
        }
      }
    }
  }
  return [...byAsin.values()]
    .filter((e) => e.title !== '')
    .map((e) => ({ asin: e.asin, title: e.title, price: e.price, options: Object.fromEntries(e.options) }));
}

/**
 * Pages in a sequence of observations by the shop's rule: the first, and each
 * one that differs from the one before it. For a dataset session, pass its
 * steps' observations (up to where the comparison stops, e.g. the first
 * purchase click) to compare with TextShop.pagesVisited.
 */
export function countPages(observations: readonly string[]): number {
  return observations.filter((o, k) => k === 0 || o !== observations[k - 1]).length;
}
