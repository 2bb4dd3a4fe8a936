import { observationTargets, type SessionAction } from '../data/sessions.js';
import { LexicalIndex } from '../retrieval/lexical-index.js';
import { sha256 } from '../util/hash.js';
import { DEFAULT_OBSERVATION_CHARS, observationFromHtml } from './observation.js';
import { renderPage, type Page, type PageState, type Target } from './shop-pages.js';
import { slugOf, type Product } from './shop-product.js';
import type { ShopItem } from './shop-catalog.js';

export { catalogOf, countPages, type ShopItem } from './shop-catalog.js';

/**
 * A text shop for closed-loop sessions: a
 * simulator reads a page (the same simplified HTML as the synthetic-sessions
 * generator's, turned into text by the opera loader's observationFromHtml, so
 * it reads like a dataset step's observation) and acts on it with a
 * SessionAction; the shop applies the same effects as the generator's walk
 * (plugins/datasets/synthetic-sessions/session-walk.ts), but deterministically
 * and driven by the caller. No randomness: the same actions give the same pages.
 *
 * Every choice it makes (catalog, brands, ratings, search, filters, related
 * products, cart and checkout, valid actions, page counting) is listed in
 * SHOP_CHOICES below, which goes into the manifest.
 */

/** Orders search candidates for one shopper (a recommender-based ranking plugs in here); default: the BM25 order. */
export type ShopRanker = (query: string, candidates: readonly ShopItem[]) => readonly ShopItem[];

export interface TextShopOptions {
  /** Results per search page; default 6. */
  readonly resultsPerPage?: number;
  /** BM25 candidates before ranking; default 30. */
  readonly candidates?: number;
  readonly rank?: ShopRanker;
  /** Longest observation text; default the opera loader's DEFAULT_OBSERVATION_CHARS. */
  readonly observationChars?: number;
}

export interface ShopStep {
  readonly valid: boolean;
  /** why an action was ignored, e.g. "no element nav_bar.foo on this page" */
  readonly reason?: string;
}

export const SHOP_CHOICES: readonly string[] = [
  "text shop (ours): the catalog is the unique products (by asin) of the sessions' steps; first occurrence gives title and price, option values merged; untitled products left out",
  'text shop (ours): brand = first word of the title; rating = 3.0 + (a mod 21)/10 and reviews = 5 + (b mod 20000), a and b the first two 32-bit words of SHA-256("text-shop:" + asin)',
  'text shop (ours): search = BM25 over titles, top 30 candidates, ordered by the ranker (default BM25 order), 6 results per page; pagination shows the next slice',
  'text shop (ours): brand and price-band filters keep the matching candidates (one filter at a time, cleared by a new search); the first 8 brands of the candidates are listed',
  'text shop (ours): related products = the BM25 neighbours of the product title, 3 at a time, "Next page" cycles through them',
  'text shop (ours): typing sets the search box and three suggested terms ("<text> for adults", "<text> rechargeable", "<text> 2 pack"), as the synthetic generator does',
  'text shop (ours): cart and checkout as in the synthetic walk; cart quantity buttons change the quantity (not below 1); review, select, account and store links leave the page unchanged',
  'text shop (ours): an action on an element the page does not offer, or an input into a non-input, is ignored and the page stays; nothing is random',
  "text shop (ours): a page counts as visited when its observation differs from the one before (the same rule counts a human session's pages); purchase clicks are counted by the clicked element's OPeRA click type (add to cart, buy now, check out, place order)",
];

const RELATED = 3;
const BRAND_FILTERS = 8;
/** Ids the page uses itself under a slug's parent (`related_products.next_page`). */
const RESERVED_SLUGS = ['next_page'];

/** What a catalog needs once, shared by every shop over the same catalog array. */
interface Prepared {
  readonly items: readonly ShopItem[];
  readonly products: ReadonlyMap<string, Product>;
  readonly byAsin: ReadonlyMap<string, ShopItem>;
  readonly index: LexicalIndex;
}

const prepared = new WeakMap<readonly ShopItem[], Prepared>();

function prepare(catalog: readonly ShopItem[]): Prepared {
  const cached = prepared.get(catalog);
  if (cached) return cached;
  const items: ShopItem[] = [];
  const byAsin = new Map<string, ShopItem>();
  for (const it of catalog) {
    if (!byAsin.has(it.asin)) {
      byAsin.set(it.asin, it);
      items.push(it);
    }
  }
  const taken = new Set(RESERVED_SLUGS);
  const products = new Map<string, Product>();
  for (const it of items) products.set(it.asin, productOf(it, taken));
  const p: Prepared = {
    items,
    products,
    byAsin,
    index: new LexicalIndex(items.map((it) => ({ id: it.asin, text: it.title }))),
  };
  prepared.set(catalog, p);
  return p;
}

/** A catalog item as the pages show it (brand, derived rating and reviews, a unique slug). */
function productOf(it: ShopItem, taken: Set<string>): Product {
  const h = sha256(`text-shop:${it.asin}`);
  const a = parseInt(h.slice(0, 8), 16);
  const b = parseInt(h.slice(8, 16), 16);
  let base = slugOf(it.title);
  if (!/[a-z0-9]/.test(base)) base = slugOf(it.asin);
  let slug = base;
  for (let k = 2; taken.has(slug); k++) slug = `${base}_${k}`;
  taken.add(slug);
  return {
    asin: it.asin,
    brand: it.title.trim().split(/\s+/)[0] || 'Generic',
    title: it.title,
    price: it.price ?? '',
    rating: `${(3 + (a % 21) / 10).toFixed(1)} out of 5 stars`,
    reviews: 5 + (b % 20000),
    options: it.options,
    slug,
  };
}

/** The first number of a shown price ("$1,299.99" → 1299.99); null when there is none. */
function priceValue(price: string): number | null {
  const m = /(\d[\d,]*(?:\.\d+)?)/.exec(price);
  return m ? Number((m[1] as string).replace(/,/g, '')) : null;
}

/** Whether a product passes a filter: a price band label of the search page, else a brand. */
function passes(p: Product, filter: string): boolean {
  const band =
    /^Up to \$(\d+)$/.exec(filter) ?? /^\$(\d+) to \$(\d+)$/.exec(filter) ?? /^\$(\d+) & above$/.exec(filter);
  if (!band) return p.brand === filter;
  const v = priceValue(p.price);
  if (v === null) return false;
  if (filter.startsWith('Up to')) return v < Number(band[1]);
  if (filter.endsWith('& above')) return v >= Number(band[1]);
  return v >= Number(band[1]) && v < Number(band[2]);
}

const posInt = (name: string, v: number | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`TextShop: ${name} must be a positive integer, got ${v}`);
  return v;
};

export class TextShop {
  private readonly cat: Prepared;
  private readonly perPage: number;
  private readonly nCandidates: number;
  private readonly rank: ShopRanker | null;
  private readonly maxChars: number;

  private s: PageState;
  private current: Page;
  private text: string | null = null;
  /** The ranked candidates of the current query. */
  private ranked: readonly Product[] = [];
  private filter: string | null = null;
  /** BM25 neighbours of the product shown, and the first one shown. */
  private neighbours: readonly Product[] = [];
  private relatedAt = 0;

  private pages = 1;
  private purchases = 0;
  private placed = false;
  private terminated = false;

  constructor(catalog: readonly ShopItem[], opts: TextShopOptions = {}) {
    this.cat = prepare(catalog);
    this.perPage = posInt('resultsPerPage', opts.resultsPerPage, 6);
    this.nCandidates = posInt('candidates', opts.candidates, 30);
    this.rank = opts.rank ?? null;
    this.maxChars = posInt('observationChars', opts.observationChars, DEFAULT_OBSERVATION_CHARS);
    this.s = {
      kind: 'home',
      typed: '',
      query: '',
      suggestions: [],
      results: [],
      page: 1,
      product: null,
      related: [],
      chosen: {},
      cart: [],
      brands: [],
    };
    this.current = renderPage(this.s);
  }

  /** The current page as text, in the opera loader's observation format (via renderPage + observationFromHtml). */
  observation(): string {
    this.text ??= observationFromHtml(this.current.html, { url: this.current.url, maxChars: this.maxChars });
    return this.text;
  }

  /** Applies a simulator's action. An action on an element the page does not list, or an input into a non-input, is ignored (valid: false) and the page stays. */
  apply(action: SessionAction): ShopStep {
    if (this.ended)
      return {
        valid: false,
        reason: this.placed
          ? 'the session has ended: the order is placed'
          : 'the session has ended: terminate was chosen',
      };
    if (action.type === 'terminate') {
      this.terminated = true;
      return { valid: true };
    }
    if (action.type !== 'click' && action.type !== 'input')
      return { valid: false, reason: `unknown action type ${JSON.stringify(action.type)} (click, input or terminate)` };
    const id = (action.target ?? '').trim();
    if (id === '') return { valid: false, reason: `a ${action.type} needs the semantic id of an element on this page` };
    const target = this.current.targets.find((t) => t.id === id);
    if (!target) {
      const listed = observationTargets(this.observation()).includes(id);
      return {
        valid: false,
        reason: listed ? `element ${id} cannot be acted on on this page` : `no element ${id} on this page`,
      };
    }
    if (action.type === 'input') {
      if (target.kind !== 'input') return { valid: false, reason: `element ${id} is not an input` };
      this.type(action.text ?? '');
    } else {
      if (target.clickType === 'purchase') this.purchases++;
      // A click on the search box focuses it: nothing changes.
      if (target.kind === 'click') this.click(target);
    }
    this.show();
    return { valid: true };
  }

  /** Pages shown so far, the first (home) page included; a repeated render of the same page after a no-op does not count again. */
  get pagesVisited(): number {
    return this.pages;
  }

  /** Clicks whose click type is `purchase` (add to cart, buy now, check out, place order), as OPeRA counts a session's purchase. */
  get purchaseClicks(): number {
    return this.purchases;
  }

  /** place_your_order was clicked. */
  get ordered(): boolean {
    return this.placed;
  }

  /** terminate, or the order placed. */
  get ended(): boolean {
    return this.terminated || this.placed;
  }

  /** Renders the state; a page whose observation differs from the one shown before counts as a new page. */
  private show(): void {
    const before = this.observation();
    this.current = renderPage(this.s);
    this.text = null;
    if (this.observation() !== before) this.pages++;
  }

  private type(raw: string): void {
    const typed = raw.replace(/\s+/g, ' ').trim();
    this.s = {
      ...this.s,
      typed,
      suggestions: typed === '' ? [] : [`${typed} for adults`, `${typed} rechargeable`, `${typed} 2 pack`],
    };
  }

  private click(t: Target): void {
    const s = this.s;
    const e = t.effect;
    switch (e.to) {
      case 'search': {
        const query = e.query ?? s.typed;
        this.ranked = this.search(query);
        this.filter = null;
        this.s = {
          ...s,
          kind: 'search',
          query,
          typed: query,
          suggestions: [],
          page: 1,
          product: null,
          results: this.slice(1),
          brands: this.brands(),
        };
        return;
      }
      case 'product': {
        const p = e.product;
        this.neighbours = this.cat.index
          .search(p.title, this.nCandidates + 1)
          .filter((h) => h.id !== p.asin)
          .slice(0, this.nCandidates)
          .map((h) => this.cat.products.get(h.id) as Product);
        this.relatedAt = 0;
        this.s = {
          ...s,
          kind: 'product',
          product: p,
          chosen: {},
          related: this.neighbours.slice(0, RELATED),
          suggestions: [],
        };
        return;
      }
      case 'cart':
        this.s = { ...s, kind: 'cart', suggestions: [] };
        return;
      case 'checkout':
        if (s.kind === 'product' && s.product) {
          const p = s.product;
          this.s = {
            ...s,
            kind: 'checkout',
            suggestions: [],
            cart: [...s.cart.filter((c) => c.product.asin !== p.asin), { product: p, quantity: 1, options: s.chosen }],
          };
        } else this.s = { ...s, kind: 'checkout', suggestions: [] };
        return;
      case 'ordered':
        this.placed = true;
        return;
      case 'typed':
        return;
      case 'stay':
        this.stay(t, e.change, e.value);
        return;
    }
  }

  private stay(
    t: Target,
    change: Extract<Target['effect'], { to: 'stay' }>['change'],
    value: string | undefined,
  ): void {
    const s = this.s;
    if (change === 'filter' && s.kind === 'search' && value !== undefined) {
      this.filter = value;
      this.s = { ...s, page: 1, results: this.slice(1) };
    } else if (change === 'page' && s.kind === 'search') {
      const page = Number(value ?? s.page + 1);
      this.s = { ...s, page, results: this.slice(page) };
    } else if (change === 'page' && s.kind === 'product') {
      this.relatedAt = this.relatedAt + RELATED < this.neighbours.length ? this.relatedAt + RELATED : 0;
      this.s = { ...s, related: this.neighbours.slice(this.relatedAt, this.relatedAt + RELATED) };
    } else if (change === 'option' && value !== undefined) {
      const at = value.indexOf('=');
      this.s = { ...s, chosen: { ...s.chosen, [value.slice(0, at)]: value.slice(at + 1) } };
    } else if (change === 'add') {
      const p =
        s.kind === 'product' && s.product ? s.product : value !== undefined ? this.cat.products.get(value) : undefined;
      if (!p) return;
      const options = s.kind === 'product' ? s.chosen : {};
      const existing = s.cart.find((c) => c.product.asin === p.asin);
      this.s = {
        ...s,
        cart: existing
          ? s.cart.map((c) => (c === existing ? { ...c, quantity: c.quantity + 1 } : c))
          : [...s.cart, { product: p, quantity: 1, options }],
      };
    } else if (change === 'delete' && value !== undefined) {
      this.s = { ...s, cart: s.cart.filter((c) => c.product.asin !== value) };
    } else if (change === 'quantity' && s.kind === 'cart') {
      const step = t.id.endsWith('.increase_quantity_by_one') ? 1 : t.id.endsWith('.decrease_quantity_by_one') ? -1 : 0;
      if (step === 0) return;
      this.s = {
        ...s,
        cart: s.cart.map((c) =>
          t.id === `active_item_list.${c.product.slug}.${step > 0 ? 'increase' : 'decrease'}_quantity_by_one`
            ? { ...c, quantity: Math.max(1, c.quantity + step) }
            : c,
        ),
      };
    }
    // review, select, store (account, orders, brand store) and the product page's quantity drop-down: the page stays as it is.
  }

  /** The top BM25 candidates of a query over titles, in the ranker's order. */
  private search(query: string): Product[] {
    const candidates = this.cat.index.search(query, this.nCandidates).map((h) => this.cat.byAsin.get(h.id) as ShopItem);
    if (!this.rank) return candidates.map((it) => this.cat.products.get(it.asin) as Product);
    const allowed = new Set(candidates.map((it) => it.asin));
    const out: Product[] = [];
    for (const it of this.rank(query, candidates)) {
      if (!allowed.has(it.asin)) continue;
      allowed.delete(it.asin);
      out.push(this.cat.products.get(it.asin) as Product);
    }
    return out;
  }

  /** Page `page` (1-based) of the ranked candidates that pass the filter. */
  private slice(page: number): Product[] {
    const list = this.filter === null ? this.ranked : this.ranked.filter((p) => passes(p, this.filter as string));
    const from = (Math.max(1, Math.floor(page)) - 1) * this.perPage;
    return list.slice(from, from + this.perPage);
  }

  private brands(): string[] {
    return [...new Set(this.ranked.map((p) => p.brand))].slice(0, BRAND_FILTERS);
  }
}
