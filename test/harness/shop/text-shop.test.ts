import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import synthetic from '../../../plugins/datasets/synthetic-sessions/index.ts';
import { observationTargets, type SessionAction, type SessionsDataset } from '../../../harness/data/sessions.ts';
import { observationFromHtml } from '../../../harness/shop/observation.ts';
import { renderPage } from '../../../harness/shop/shop-pages.ts';
import { catalogOf, countPages, SHOP_CHOICES, TextShop, type ShopItem } from '../../../harness/shop/text-shop.ts';
import * as api from '../../../harness/plugin-api.ts';
import { Rng } from '../../../harness/util/rng.ts';

const quiet = { info() {}, warn() {} };
const click = (target: string): SessionAction => ({ type: 'click', clickType: null, target, text: null });
const type = (text: string, target = 'nav_bar.search_input'): SessionAction => ({
  type: 'input',
  clickType: null,
  target,
  text,
});
const TERMINATE: SessionAction = { type: 'terminate', clickType: null, target: null, text: null };

const CATALOG: ShopItem[] = [
  { asin: 'B0LAMP0001', title: 'BenQ LED Desk Lamp', price: '$89.00', options: { Color: ['White', 'Black'] } },
  { asin: 'B0LAMP0002', title: 'TaoTronics Architect Desk Lamp', price: '$32.50', options: {} },
  { asin: 'B0LAMP0003', title: 'Lepro Clamp Lamp', price: '$19.99', options: { Color: ['Black'] } },
  {
    asin: 'B0GRIND001',
    title: 'Baratza Burr Coffee Grinder',
    price: '$149.00',
    options: { Style: ['Standard', 'With Scale'] },
  },
  { asin: 'B0SHOE0001', title: 'Brooks Road Running Shoe', price: null, options: { Size: ['9', '10'] } },
];

const lines = (obs: string) => obs.split('\n');
const productLines = (obs: string) => lines(obs).filter((l) => /^ {2}\d+\. /.test(l));

describe('catalogOf on a synthetic-sessions dataset', () => {
  let saved: string | undefined;
  let dir: string;
  let data: SessionsDataset;
  beforeAll(async () => {
    saved = process.env['USERSIM_DATASETS_DIR'];
    dir = mkdtempSync(join(tmpdir(), 'usersim-shop-'));
    process.env['USERSIM_DATASETS_DIR'] = join(dir, 'datasets');
    const d = await synthetic.load(
      { users: 10, minSessions: 3, maxSessions: 6, testFraction: 0.2, dataSeed: 7, observationChars: 8000 },
      { seed: 1, rng: new Rng(1), configDir: dir, log: quiet },
    );
    if (d.kind !== 'sessions') throw new Error('expected a sessions dataset');
    data = d;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
    else process.env['USERSIM_DATASETS_DIR'] = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each asin once, with the title and price first seen and the option values of every occurrence', () => {
    const catalog = catalogOf(data.sessions);
    const asins = catalog.map((p) => p.asin);
    expect(catalog.length).toBeGreaterThan(10);
    expect(new Set(asins).size).toBe(asins.length);
    const seen = data.sessions.flatMap((s) => s.steps.flatMap((st) => st.products));
    expect(new Set(seen.map((p) => p.asin))).toEqual(new Set(asins));
    for (const item of catalog) {
      const first = seen.find((p) => p.asin === item.asin);
      expect(item.title).toBe(first?.title);
      expect(item.price).toBe(first?.price);
      const chosen = seen
        .filter((p) => p.asin === item.asin)
        .flatMap((p) => p.options.flatMap((o) => Object.entries(o)));
      for (const [dim, value] of chosen) expect(item.options[dim]).toContain(value);
      expect(Object.values(item.options).flat().length).toBe(new Set(chosen.map(([d, v]) => `${d}=${v}`)).size);
    }
  });

  it('the shop home page reads exactly like the first observation of every session the loader made', () => {
    const home = new TextShop(catalogOf(data.sessions)).observation();
    for (const s of data.sessions) expect(s.steps[0]?.observation).toBe(home);
  });

  it('a search for a query the dataset used finds its products; every result is a catalog product', () => {
    const catalog = catalogOf(data.sessions);
    const firstQuery = data.sessions.flatMap((s) => s.steps).find((st) => st.action.type === 'input')?.action
      .text as string;
    const shop = new TextShop(catalog);
    shop.apply(type(firstQuery));
    expect(shop.apply(click('nav_bar.search_button'))).toEqual({ valid: true });
    const results = productLines(shop.observation());
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(6);
    const titles = new Set(catalog.map((p) => p.title));
    for (const l of results) expect(titles.has(l.replace(/^ {2}\d+\. /, '').split(' — ')[0] as string)).toBe(true);
  });
});

describe('catalogOf on hand-made sessions', () => {
  const step = (products: api.SessionProduct[]) => ({
    index: 0,
    actionId: 'a',
    timestamp: 0,
    url: null,
    observation: '',
    action: TERMINATE,
    rationale: null,
    products,
  });
  const p = (asin: string, title: string, price: string | null, options: Record<string, string>[] = []) => ({
    asin,
    title,
    price,
    quantity: null,
    options,
  });
  it('first seen wins, a missing price or title is filled later, options merge in order, empty asins and untitled products are left out', () => {
    const sessions = [
      {
        id: 's1',
        user: 'u',
        split: 'train' as const,
        purchased: false,
        steps: [step([p('A', 'Lamp One', null, [{ Color: 'Red' }]), p('', 'No asin', '$1')])],
      },
      {
        id: 's2',
        user: 'u',
        split: 'train' as const,
        purchased: false,
        steps: [
          step([
            p('A', 'Other title', '$5.00', [{ Color: 'Blue' }, { Size: 'L' }]),
            p('B', '', '$2'),
            p('A', 'x', '$9', [{ Color: 'Red' }]),
          ]),
        ],
      },
    ];
    expect(catalogOf(sessions)).toEqual([
      { asin: 'A', title: 'Lamp One', price: '$5.00', options: { Color: ['Red', 'Blue'], Size: ['L'] } },
    ]);
  });
});

describe('a scripted session on the text shop', () => {
  it('home → type → search → product → option → add to cart → cart → check out → place order', () => {
    const shop = new TextShop(CATALOG);
    expect(shop.pagesVisited).toBe(1);
    expect(lines(shop.observation())).toEqual([
      'Page: Amazon.com. Spend less. Smile more.',
      'URL: https://www.amazon.com/',
      'Interactive elements (5):',
      '  [nav_bar.search_input] input "Search Amazon"',
      '  [nav_bar.search_button] button "Go"',
      '  [nav_bar.account_and_list_button] a "Account & Lists"',
      '  [nav_bar.order_button] a "Returns & Orders"',
      '  [nav_bar.cart_button] a "Cart 0"',
    ]);

    expect(shop.apply(type('desk lamp'))).toEqual({ valid: true });
    expect(shop.pagesVisited).toBe(2);
    expect(shop.observation()).toContain('Search box: "desk lamp"');
    expect(observationTargets(shop.observation())).toContain('nav_bar.suggested_terms.desk_lamp_for_adults');

    expect(shop.apply(click('nav_bar.search_button'))).toEqual({ valid: true });
    const search = shop.observation();
    expect(lines(search).slice(0, 3)).toEqual([
      'Page: Amazon.com : desk lamp',
      'URL: https://www.amazon.com/s?k=desk+lamp',
      'Search box: "desk lamp"',
    ]);
    // BM25 order: both query words first, then "lamp" alone; the coffee grinder and the shoe do not match.
    expect(productLines(search).map((l) => l.replace(/ — .*\[/, ' ['))).toEqual([
      '  1. BenQ LED Desk Lamp [search_results.benq_led_desk_lamp]',
      '  2. TaoTronics Architect Desk Lamp [search_results.taotronics_architect_desk_lamp]',
      '  3. Lepro Clamp Lamp [search_results.lepro_clamp_lamp]',
    ]);
    expect(search).toMatch(
      /^ {2}1\. BenQ LED Desk Lamp — \$89\.00 — [345]\.\d out of 5 stars \[search_results\.benq_led_desk_lamp\]$/m,
    );
    expect(search).toContain('  [search_results.benq_led_desk_lamp.product_name] a "BenQ LED Desk Lamp"');
    expect(search).toContain('  [refinements.brands.benq] li "BenQ"');
    expect(search).toContain('  [pagination.next] a "Next"');
    expect(shop.pagesVisited).toBe(3);

    expect(shop.apply(click('search_results.benq_led_desk_lamp.product_name'))).toEqual({ valid: true });
    const product = shop.observation();
    expect(lines(product).slice(0, 2)).toEqual([
      'Page: Amazon.com: BenQ LED Desk Lamp',
      'URL: https://www.amazon.com/dp/B0LAMP0001',
    ]);
    for (const l of [
      '  [visit_the_benq_store] a "Visit the BenQ Store"',
      '  [product_options.color.button_list.white] li "White"',
      '  [product_options.color.button_list.black] li "Black"',
      '  [buybox.purchase_form.add_to_cart] input',
      '  [buybox.purchase_form.buy_now] input',
      '  [related_products.taotronics_architect_desk_lamp] a "TaoTronics Architect Desk Lamp"',
      '  [related_products.lepro_clamp_lamp] a "Lepro Clamp Lamp"',
    ])
      expect(lines(product)).toContain(l);
    expect(shop.pagesVisited).toBe(4);

    // The observation does not show the chosen option: the same page, not counted again.
    expect(shop.apply(click('product_options.color.button_list.black'))).toEqual({ valid: true });
    expect(shop.observation()).toBe(product);
    expect(shop.pagesVisited).toBe(4);

    expect(shop.apply(click('buybox.purchase_form.add_to_cart'))).toEqual({ valid: true });
    expect(shop.observation()).toContain('  [nav_bar.cart_button] a "Cart 1"');
    expect(shop.observation()).toContain('  [cart_side_bar.go_to_cart] a "Go to Cart"');
    expect(shop.purchaseClicks).toBe(1);
    expect(shop.pagesVisited).toBe(5);

    expect(shop.apply(click('nav_bar.cart_button'))).toEqual({ valid: true });
    const cart = shop.observation();
    expect(lines(cart)[0]).toBe('Page: Amazon.com Shopping Cart');
    expect(productLines(cart)).toEqual([
      '  1. BenQ LED Desk Lamp — $89.00 — options: Color: Black [active_item_list.benq_led_desk_lamp]',
    ]);
    expect(cart).toContain(
      '  [active_item_list.benq_led_desk_lamp.increase_quantity_by_one] button "Increase quantity by one"',
    );
    expect(cart).toContain('  [check_out] input');
    expect(shop.purchaseClicks).toBe(1);

    expect(shop.apply(click('check_out'))).toEqual({ valid: true });
    expect(lines(shop.observation())[0]).toBe('Page: Amazon.com Checkout');
    expect(productLines(shop.observation())).toEqual(['  1. BenQ LED Desk Lamp — $89.00']);
    expect(shop.observation()).toContain('  [place_your_order] input');
    expect(shop.purchaseClicks).toBe(2);
    expect(shop.ordered).toBe(false);
    expect(shop.ended).toBe(false);

    expect(shop.apply(click('place_your_order'))).toEqual({ valid: true });
    expect(shop.purchaseClicks).toBe(3);
    expect(shop.ordered).toBe(true);
    expect(shop.ended).toBe(true);
    expect(shop.pagesVisited).toBe(7);
    const after = shop.apply(TERMINATE);
    expect(after.valid).toBe(false);
    expect(after.reason).toMatch(/ended/);
  });

  it('buy now checks out at once with the chosen options; terminate ends without an order', () => {
    const shop = new TextShop(CATALOG);
    shop.apply(type('grinder'));
    shop.apply(click('nav_bar.search_button'));
    shop.apply(click('search_results.baratza_burr_coffee_grinder.product_image'));
    shop.apply(click('product_options.style.button_list.with_scale'));
    expect(shop.apply(click('buybox.purchase_form.buy_now'))).toEqual({ valid: true });
    expect(lines(shop.observation())[0]).toBe('Page: Amazon.com Checkout');
    expect(shop.purchaseClicks).toBe(1);
    expect(shop.apply(TERMINATE)).toEqual({ valid: true });
    expect(shop.ended).toBe(true);
    expect(shop.ordered).toBe(false);
  });

  it('the cart: add to cart from the results, quantity up and down (not below 1), delete', () => {
    const shop = new TextShop(CATALOG);
    shop.apply(type('lamp'));
    shop.apply(click('nav_bar.search_button'));
    shop.apply(click('search_results.lepro_clamp_lamp.add_to_cart'));
    shop.apply(click('search_results.lepro_clamp_lamp.add_to_cart'));
    expect(shop.purchaseClicks).toBe(2);
    shop.apply(click('cart_side_bar.go_to_cart'));
    expect(shop.observation()).toContain('[nav_bar.cart_button] a "Cart 2"');
    shop.apply(click('active_item_list.lepro_clamp_lamp.increase_quantity_by_one'));
    expect(shop.observation()).toContain('[nav_bar.cart_button] a "Cart 3"');
    for (let k = 0; k < 4; k++) shop.apply(click('active_item_list.lepro_clamp_lamp.decrease_quantity_by_one'));
    expect(shop.observation()).toContain('[nav_bar.cart_button] a "Cart 1"');
    shop.apply(click('active_item_list.lepro_clamp_lamp.delete'));
    expect(shop.observation()).toContain('[nav_bar.cart_button] a "Cart 0"');
    expect(shop.observation()).not.toContain('[check_out]');
  });
});

describe('invalid actions', () => {
  it('an element the page does not list is ignored with a reason; the page stays and does not count', () => {
    const shop = new TextShop(CATALOG);
    const before = shop.observation();
    expect(shop.apply(click('nav_bar.foo'))).toEqual({ valid: false, reason: 'no element nav_bar.foo on this page' });
    expect(shop.observation()).toBe(before);
    expect(shop.pagesVisited).toBe(1);
    expect(shop.purchaseClicks).toBe(0);
  });

  it('an input into a non-input, a click on a listed but inactive element, a click without a target', () => {
    const shop = new TextShop(CATALOG);
    expect(shop.apply(type('lamp', 'nav_bar.cart_button'))).toEqual({
      valid: false,
      reason: 'element nav_bar.cart_button is not an input',
    });
    // The Go button is shown but does nothing before a query is typed.
    expect(shop.apply(click('nav_bar.search_button'))).toEqual({
      valid: false,
      reason: 'element nav_bar.search_button cannot be acted on on this page',
    });
    expect(shop.apply({ type: 'click', clickType: 'search', target: null, text: null }).valid).toBe(false);
    expect(shop.pagesVisited).toBe(1);
    // A click on the search box is valid and changes nothing.
    expect(shop.apply(click('nav_bar.search_input'))).toEqual({ valid: true });
    expect(shop.pagesVisited).toBe(1);
    // Account and orders links leave the page as it is.
    expect(shop.apply(click('nav_bar.account_and_list_button'))).toEqual({ valid: true });
    expect(shop.pagesVisited).toBe(1);
  });

  it("purchase clicks count the page's click type, not the one the simulator claims", () => {
    const shop = new TextShop(CATALOG);
    shop.apply({ type: 'click', clickType: 'purchase', target: 'nav_bar.cart_button', text: null });
    expect(shop.purchaseClicks).toBe(0);
  });
});

describe('ranking, pages, filters', () => {
  it('a custom rank reverses the results order', () => {
    const seen: string[][] = [];
    const reversed = new TextShop(CATALOG, {
      rank: (q, c) => (seen.push([q, ...c.map((x) => x.asin)]), [...c].reverse()),
    });
    const plain = new TextShop(CATALOG);
    for (const shop of [reversed, plain]) {
      shop.apply(type('desk lamp'));
      shop.apply(click('nav_bar.search_button'));
    }
    const ids = (s: TextShop) => productLines(s.observation()).map((l) => /\[(.+)\]$/.exec(l)?.[1]);
    expect(ids(plain)).toEqual([
      'search_results.benq_led_desk_lamp',
      'search_results.taotronics_architect_desk_lamp',
      'search_results.lepro_clamp_lamp',
    ]);
    expect(ids(reversed)).toEqual([...ids(plain)].reverse());
    expect(seen).toEqual([['desk lamp', 'B0LAMP0001', 'B0LAMP0002', 'B0LAMP0003']]);
  });

  it('resultsPerPage slices, pagination shows the next slice, a filter keeps matching candidates', () => {
    const many: ShopItem[] = Array.from({ length: 20 }, (_, k) => ({
      asin: `B${String(k).padStart(9, '0')}`,
      title: `${k % 2 ? 'Acme' : 'Zenit'} Lamp model ${k}`,
      price: `$${10 + 10 * k}.00`,
      options: {},
    }));
    const shop = new TextShop(many, { resultsPerPage: 4, candidates: 10 });
    shop.apply(type('lamp'));
    shop.apply(click('nav_bar.search_button'));
    const titles = () => productLines(shop.observation()).map((l) => l.replace(/^ {2}\d+\. /, '').split(' — ')[0]);
    const page1 = titles();
    expect(page1.length).toBe(4);
    shop.apply(click('pagination.next'));
    const page2 = titles();
    expect(page2.length).toBe(4);
    expect(page2.some((t) => page1.includes(t))).toBe(false);
    expect(shop.observation()).toContain('URL: https://www.amazon.com/s?k=lamp&page=2');
    shop.apply(click('pagination.3'));
    expect(titles().length).toBe(2); // 10 candidates, 4 per page
    shop.apply(click('refinements.brands.acme'));
    expect(titles().length).toBeGreaterThan(0);
    expect(titles().every((t) => t?.startsWith('Acme'))).toBe(true);
    shop.apply(click('refinements.price.up_to_25'));
    const cheap = productLines(shop.observation());
    expect(cheap.length).toBeGreaterThan(0);
    expect(cheap.every((l) => /— \$(1\d|2[0-4])\.00 —/.test(l))).toBe(true);
    shop.apply(click('refinements.price._100_above'));
    const dear = productLines(shop.observation());
    expect(dear.length).toBeGreaterThan(0);
    expect(dear.every((l) => /— \$\d{3}\.00 —/.test(l))).toBe(true);
  });

  it('related products are the title\'s BM25 neighbours; "Next page" shows the next ones', () => {
    const shop = new TextShop(CATALOG);
    shop.apply(type('desk lamp'));
    shop.apply(click('nav_bar.search_button'));
    shop.apply(click('search_results.lepro_clamp_lamp.product_name'));
    const related = observationTargets(shop.observation()).filter(
      (id) => id.startsWith('related_products.') && id !== 'related_products.next_page',
    );
    expect(related).toEqual(['related_products.benq_led_desk_lamp', 'related_products.taotronics_architect_desk_lamp']);
    const before = shop.pagesVisited;
    shop.apply(click('related_products.next_page'));
    expect(shop.pagesVisited).toBe(before); // only two neighbours: the same three (two) again
  });

  it('ratings and reviews come from the asin: the same product reads the same in any shop', () => {
    const a = new TextShop(CATALOG);
    const b = new TextShop([...CATALOG].reverse());
    for (const s of [a, b]) {
      s.apply(type('lamp'));
      s.apply(click('nav_bar.search_button'));
    }
    const line = (s: TextShop) =>
      productLines(s.observation())
        .find((l) => l.includes('Lepro'))
        ?.replace(/^ {2}\d+\. /, '');
    expect(line(a)).toBe(line(b));
    expect(line(a)).toMatch(/^Lepro Clamp Lamp — \$19\.99 — [345]\.\d out of 5 stars/);
  });

  it('titles that slug alike get distinct ids; options bad values are rejected', () => {
    const shop = new TextShop([
      { asin: 'X1', title: 'Lamp!', price: '$1', options: {} },
      { asin: 'X2', title: 'Lamp?', price: '$2', options: {} },
    ]);
    shop.apply(type('lamp'));
    shop.apply(click('nav_bar.search_button'));
    expect(
      productLines(shop.observation())
        .map((l) => /\[(.+)\]$/.exec(l)?.[1])
        .sort(),
    ).toEqual(['search_results.lamp_', 'search_results.lamp__2']);
    expect(() => new TextShop(CATALOG, { resultsPerPage: 0 })).toThrow(/resultsPerPage/);
  });
});

describe('determinism and format', () => {
  const script: SessionAction[] = [
    type('lamp'),
    click('nav_bar.suggested_terms.lamp_2_pack'),
    click('refinements.brands.lepro'),
    click('search_results.lepro_clamp_lamp.product_rating_count'),
    click('related_products.next_page'),
    click('buybox.purchase_form.add_to_cart'),
    click('cart_side_bar.go_to_cart'),
    click('active_item_list.lepro_clamp_lamp.increase_quantity_by_one'),
    click('check_out'),
    TERMINATE,
  ];
  it('two shops given the same actions show the same observations and counts', () => {
    const run = () => {
      const shop = new TextShop(CATALOG.map((x) => ({ ...x })));
      const out = [shop.observation()];
      for (const a of script) {
        out.push(JSON.stringify(shop.apply(a)));
        out.push(shop.observation());
      }
      return { out, pages: shop.pagesVisited, purchases: shop.purchaseClicks, ended: shop.ended };
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(a.out.filter((x) => x === '{"valid":true}').length).toBe(script.length);
    expect(a.ended).toBe(true);
  });

  it('the home page is renderPage + observationFromHtml, as the opera loader makes it; observationChars cuts it', () => {
    const home = renderPage({
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
    });
    expect(new TextShop(CATALOG).observation()).toBe(observationFromHtml(home.html, { url: home.url }));
    expect(new TextShop(CATALOG).observation()).toContain('\n  [nav_bar.search_input] input "Search Amazon"\n');
    const short = new TextShop(CATALOG, { observationChars: 150 }).observation();
    expect(short.length).toBeLessThanOrEqual(150);
    expect(short).toMatch(/more elements not shown$/);
  });

  it('countPages counts the first observation and each change', () => {
    expect(countPages([])).toBe(0);
    expect(countPages(['a', 'a', 'b', 'b', 'a'])).toBe(3);
  });
});

describe('plugin-api', () => {
  it('re-exports the shop for plugins', () => {
    expect(api.renderPage).toBe(renderPage);
    expect(api.observationFromHtml).toBe(observationFromHtml);
    expect(api.TextShop).toBe(TextShop);
    expect(api.catalogOf).toBe(catalogOf);
    expect(api.slugOf('Lumiere & Co.')).toBe('lumiere_co_');
    expect(api.DEFAULT_OBSERVATION_CHARS).toBe(8000);
  });

  it('SHOP_CHOICES are one-line "(ours)" choices', () => {
    expect(SHOP_CHOICES.length).toBeGreaterThan(5);
    for (const c of SHOP_CHOICES) {
      expect(c).toContain('(ours)');
      expect(c).not.toContain('\n');
    }
  });
});
