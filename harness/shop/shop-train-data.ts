import type { SessionsDataset } from '../data/sessions.js';
import type { Interaction, TrainData } from '../data/types.js';
import { catalogOf } from './text-shop.js';

/**
 * A sessions dataset as the implicit-feedback data a recommender plugin fits
 * on: the shoppers, every product of the catalog as an item, and one
 * interaction per (shopper, product) a train-session step acted on (no
 * ratings). This lets opera-consistency rank the shop's search results with
 * the same recommender plugins the ratings tasks use.
 */
export function shopTrainData(d: SessionsDataset): TrainData {
  const items = catalogOf(d.sessions).map((p) => ({ id: p.asin, title: p.title, genres: [] }));
  const known = new Set(items.map((i) => i.id));
  const seen = new Set<string>();
  const interactions: Interaction[] = [];
  for (const s of d.sessions) {
    if (s.split !== 'train') continue;
    for (const st of s.steps) {
      for (const p of st.products) {
        const key = `${s.user}\u0000${p.asin}`;
        if (!known.has(p.asin) || seen.has(key)) continue;
        seen.add(key);
        interactions.push({ user: s.user, item: p.asin, rating: null, timestamp: st.timestamp });
      }
    }
  }
  return {
    datasetName: d.name,
    users: d.users.map((u) => ({ id: u.id, attributes: u.attributes })),
    items,
    scale: null,
    interactions,
  };
}
