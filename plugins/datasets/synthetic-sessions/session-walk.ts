import {
  renderPage,
  type ClickType,
  type PageState,
  type Product,
  type Rng,
  type Target,
} from '../../../harness/plugin-api.js';
import { CATEGORIES, makeProduct } from './catalog.js';
import type { Shopper } from './shopper.js';

/** One generated action row, in OPeRA's action-table terms. */
export interface GeneratedStep {
  readonly actionId: string;
  readonly timestamp: string;
  readonly actionType: 'click' | 'input' | 'terminate';
  readonly clickType: ClickType | null;
  readonly semanticId: string | null;
  readonly inputText: string | null;
  readonly url: string;
  readonly html: string;
  readonly rationale: string | null;
  /** The products column (JSON list), or null when the action involves none. */
  readonly products: string | null;
}

export interface GeneratedSession {
  readonly id: string;
  readonly user: string;
  readonly steps: readonly GeneratedStep[];
  readonly purchased: boolean;
}

const MAX_STEPS = 30;

/**
 * One shopping session by a generated shopper on the generated shop: search,
 * browse results, open products, pick options, read reviews, fill and edit
 * the cart, check out, and end with terminate. Choices are weighted by the
 * shopper's traits and whether this session means to buy; the pages' targets
 * carry OPeRA's click types, so all 13 occur. Lengths average about eight
 * actions, as in OPeRA's filtered sessions (5,856 actions / 692 sessions).
 */
export function walkSession(rng: Rng, shopper: Shopper, start: number): GeneratedSession {
  const t = shopper.traits;
  const intent = rng.next() < t.buyer;
  const category = rng.pick(CATEGORIES);
  const pool: Product[] = Array.from({ length: 14 }, (_, k) => makeProduct(rng, category, k));
  const brands = [...new Set(pool.map((p) => p.brand))];
  let s: PageState = {
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
    brands,
  };
  const steps: GeneratedStep[] = [];
  let time = start;
  let ordered = false;
  let purchased = false;
  let typedJustNow = false;

  for (;;) {
    const page = renderPage(s);
    time += 2_000 + rng.int(60_000);
    const timestamp = new Date(time).toISOString();
    const actionId = `${shopper.id.slice(0, 8)}-${steps.length}-${rng.nextUint32().toString(16)}`;
    const n = steps.length;
    const pTerminate =
      n === 0
        ? 0
        : ordered
          ? 1
          : n >= MAX_STEPS - 1
            ? 1
            : Math.min(0.6, 0.03 + 0.012 * n + (intent ? 0 : 0.05) + (typedJustNow ? -0.5 : 0));
    if (rng.next() < pTerminate) {
      steps.push({
        actionId,
        timestamp,
        actionType: 'terminate',
        clickType: null,
        semanticId: null,
        inputText: null,
        url: page.url,
        html: page.html,
        rationale: rng.next() < 0.3 ? rationaleFor(rng, null, purchased, shopper) : null,
        products: null,
      });
      break;
    }
    const target = choose(rng, page.targets, s, intent, typedJustNow, shopper);
    let inputText: string | null = null;
    let products: string | null = null;
    const productJson = (p: Product, extra: Record<string, unknown> = {}) => ({
      asin: p.asin,
      title: p.title,
      price: p.price,
      ...extra,
    });
    typedJustNow = false;
    const e = target.effect;
    if (target.kind === 'input') {
      inputText =
        s.kind === 'home' || rng.next() < 0.5 ? category.query : `${rng.pick(category.brands)} ${category.query}`;
      s = {
        ...s,
        typed: inputText,
        suggestions: [`${inputText} for adults`, `${inputText} rechargeable`, `${inputText} 2 pack`],
      };
      typedJustNow = true;
    } else if (e.to === 'search') {
      const results = rng.sample(pool, 6);
      s = {
        ...s,
        kind: 'search',
        query: e.query ?? s.typed,
        typed: e.query ?? s.typed,
        suggestions: [],
        results,
        page: 1,
        product: null,
      };
    } else if (e.to === 'product') {
      products = JSON.stringify([productJson(e.product)]);
      s = {
        ...s,
        kind: 'product',
        product: e.product,
        chosen: {},
        related: rng.sample(
          pool.filter((p) => p !== e.product),
          3,
        ),
        suggestions: [],
      };
    } else if (e.to === 'cart') {
      s = { ...s, kind: 'cart', suggestions: [] };
    } else if (e.to === 'checkout') {
      if (s.kind === 'product' && s.product) {
        const item = { product: s.product, quantity: 1, options: s.chosen };
        products = JSON.stringify([
          productJson(s.product, { quantity: 1, options: Object.entries(s.chosen).map(([k, v]) => ({ [k]: v })) }),
        ]);
        s = { ...s, kind: 'checkout', cart: [...s.cart.filter((c) => c.product !== s.product), item] };
      } else {
        products = JSON.stringify(
          s.cart.map((c) =>
            productJson(c.product, {
              quantity: c.quantity,
              options: Object.entries(c.options).map(([k, v]) => ({ [k]: v })),
            }),
          ),
        );
        s = { ...s, kind: 'checkout' };
      }
    } else if (e.to === 'ordered') {
      products = JSON.stringify(
        s.cart.map((c) =>
          productJson(c.product, {
            quantity: c.quantity,
            options: Object.entries(c.options).map(([k, v]) => ({ [k]: v })),
          }),
        ),
      );
      ordered = true;
    } else if (e.to === 'stay') {
      if (e.change === 'filter' || e.change === 'page') {
        s =
          s.kind === 'search'
            ? { ...s, results: rng.sample(pool, 6), page: e.change === 'page' ? Number(e.value ?? s.page + 1) : s.page }
            : { ...s, related: rng.sample(pool, 3) };
      } else if (e.change === 'option' && e.value) {
        const [dim, v] = e.value.split('=') as [string, string];
        s = { ...s, chosen: { ...s.chosen, [dim]: v } };
      } else if (e.change === 'add') {
        const p = s.kind === 'product' && s.product ? s.product : pool.find((x) => x.asin === e.value);
        if (p) {
          const options = s.kind === 'product' ? s.chosen : {};
          products = JSON.stringify([
            productJson(p, { quantity: 1, options: Object.entries(options).map(([k, v]) => ({ [k]: v })) }),
          ]);
          const existing = s.cart.find((c) => c.product === p);
          s = {
            ...s,
            cart: existing
              ? s.cart.map((c) => (c === existing ? { ...c, quantity: c.quantity + 1 } : c))
              : [...s.cart, { product: p, quantity: 1, options }],
          };
        }
      } else if (e.change === 'delete' && e.value) {
        s = { ...s, cart: s.cart.filter((c) => c.product.asin !== e.value) };
      } else if (e.change === 'quantity' && s.kind === 'cart' && target.id.endsWith('increase_quantity_by_one')) {
        s = {
          ...s,
          cart: s.cart.map((c) =>
            target.id.startsWith(`active_item_list.${c.product.slug}.`) ? { ...c, quantity: c.quantity + 1 } : c,
          ),
        };
      }
    }
    if (target.clickType === 'purchase') purchased = true;
    steps.push({
      actionId,
      timestamp,
      actionType: target.kind,
      clickType: target.clickType,
      semanticId: target.id,
      inputText,
      url: page.url,
      html: page.html,
      rationale: rng.next() < 0.2 ? rationaleFor(rng, target, purchased, shopper) : null,
      products,
    });
  }
  const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');
  return { id: `${shopper.id}_${stamp(start)}_${stamp(time)}`, user: shopper.id, steps, purchased };
}

/** A target weighted by click type, the page, the shopper's traits and the session's intent. */
function choose(
  rng: Rng,
  targets: readonly Target[],
  s: PageState,
  intent: boolean,
  typedJustNow: boolean,
  shopper: Shopper,
): Target {
  const t = shopper.traits;
  const buy = intent ? 1 : 0.05;
  const weight = (x: Target): number => {
    if (x.kind === 'input') return s.kind === 'home' && !s.typed ? 10 : typedJustNow ? 0.05 : 0.15;
    if (typedJustNow) return x.clickType === 'search' ? 6 : x.clickType === 'suggested_term' ? 4 / 3 : 0.02;
    switch (x.clickType) {
      case 'search':
        return 0.05;
      case 'suggested_term':
        return 0.05;
      case 'product_link':
        return s.kind === 'search' ? 0.8 : s.kind === 'cart' ? 0.15 : 0.2;
      case 'review':
        return 0.15 + 0.5 * t.research;
      case 'filter':
        return 0.03 + 0.12 * t.thrift;
      case 'page_related':
        return 0.12;
      case 'product_option':
        return 0.3 + 0.6 * t.research;
      case 'quantity':
        return s.kind === 'cart' ? 0.15 + 0.3 * t.thrift : 0.1;
      case 'cart_page_select':
        return 0.35;
      case 'cart_side_bar':
        return s.cart.length > 0 ? 1.5 * buy : 0.02;
      case 'nav_bar':
        return x.effect.to === 'cart' ? (s.cart.length > 0 ? 0.8 * buy : 0.05) : 0.05;
      case 'purchase':
        return x.effect.to === 'ordered'
          ? 6 * buy + 0.1
          : x.effect.to === 'checkout'
            ? s.kind === 'cart'
              ? 3 * buy
              : 0.8 * t.impulse * buy
            : (s.kind === 'product' ? 2.5 : 0.3 * t.impulse) * buy + 0.02;
      case 'other':
        return 0.1;
      default:
        return 0.05;
    }
  };
  const ws = targets.map(weight);
  let x = rng.next() * ws.reduce((a, b) => a + b, 0);
  for (let k = 0; k < targets.length; k++) {
    x -= ws[k] as number;
    if (x < 0) return targets[k] as Target;
  }
  return targets[targets.length - 1] as Target;
}

function rationaleFor(rng: Rng, target: Target | null, purchased: boolean, shopper: Shopper): string {
  const who =
    shopper.traits.thrift > 0.6
      ? 'I want the best value for my money'
      : shopper.traits.research > 0.6
        ? 'I always research before I buy'
        : 'I want something that just works';
  if (!target)
    return purchased
      ? `I found what I needed and placed the order. ${who}.`
      : rng.pick([`None of these felt right, so I will come back later. ${who}.`, 'I am done browsing for now.']);
  switch (target.clickType) {
    case 'review':
      return `I want to see what other buyers say before deciding; ${who.toLowerCase()}.`;
    case 'product_option':
      return 'I want to compare this option with the others.';
    case 'filter':
      return 'There are too many results, so I narrow them down.';
    case 'purchase':
      return `This one fits my needs and budget, so I am buying it. ${who}.`;
    case 'product_link':
      return 'This product looks promising; I want to see its details.';
    default:
      return target.kind === 'input'
        ? 'I know what I am looking for, so I search for it.'
        : 'I want to look around a bit more.';
  }
}
