import { describe, expect, it } from 'vitest';
import { observationFromHtml, observe } from '../../../harness/shop/observation.ts';

// Moved from test/plugins/datasets/opera.test.ts with the function (plugins/datasets/opera/observation.ts → harness/shop/observation.ts); assertions unchanged.
describe('simplified_html → observation text', () => {
  const html =
    '<html><head><title>Amazon.com : bike light</title><script>var x = "<b>no</b>";</script></head><body>' +
    '<div name="nav_bar"><input name="nav_bar.search_input" type="text" value="bike light"/><span name="nav_bar.search_button">Go</span><a name="nav_bar.cart_button">Cart 1</a></div>' +
    '<div name="cart_side_bar"><a name="cart_side_bar.go_to_cart">Go to Cart</a></div>' +
    '<div name="search_results"><div class="search-result" name="search_results.rockbros_light"><a class="product-name" name="search_results.rockbros_light.product_name">ROCKBROS Light &amp; Mount</a>' +
    '<div class="product-review"><span class="product-rating">4.5 out of 5 stars</span></div><div class="product-price"><span>$25.99</span></div>' +
    '<div name="search_results.rockbros_light.available_colors"><div name="search_results.rockbros_light.available_colors.red">Red</div></div></div><split-marker></split-marker></div>' +
    '<div name="pagination"><a name="pagination.2">2</a></div></body></html>';

  it('lists page context, products (title, price, rating) and every interactive element with its semantic id', () => {
    const text = observationFromHtml(html, { url: 'https://www.amazon.com/s?k=bike+light' });
    expect(text).toBe(
      [
        'Page: Amazon.com : bike light',
        'URL: https://www.amazon.com/s?k=bike+light',
        'Search box: "bike light"',
        'Products (1):',
        '  1. ROCKBROS Light & Mount — $25.99 — 4.5 out of 5 stars [search_results.rockbros_light]',
        'Interactive elements (7):',
        '  [nav_bar.search_input] input "bike light"',
        '  [nav_bar.search_button] span "Go"',
        '  [nav_bar.cart_button] a "Cart 1"',
        '  [cart_side_bar.go_to_cart] a "Go to Cart"',
        '  [search_results.rockbros_light.product_name] a "ROCKBROS Light & Mount"',
        '  [search_results.rockbros_light.available_colors.red] div "Red"',
        '  [pagination.2] a "2"',
      ].join('\n'),
    );
  });

  it('cuts long pages at maxChars and says how many elements were left out', () => {
    const many = `<body>${Array.from({ length: 400 }, (_, k) => `<a name="list.item_${k}">Item number ${k}</a>`).join('')}</body>`;
    const text = observationFromHtml(many, { maxChars: 1000 });
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text).toMatch(/… \d+ more elements not shown$/);
  });

  it('an empty page still names itself', () => {
    expect(observationFromHtml('')).toBe('Page: (no title)\nInteractive elements (0):');
  });
});

describe('products by page structure, page_meta, and the observation budget', () => {
  it('finds products without any class name: the smallest element with one price and a title', () => {
    const html =
      '<html><head><title>Results</title></head><body><div name="search_results">' +
      '<div name="search_results.lamp"><h2><a name="search_results.lamp.title">Desk Lamp <b>LED</b></a></h2>' +
      '<span>4.3 out of 5 stars</span><a name="search_results.lamp.count">1,234 ratings</a><span>$1,299.00</span></div>' +
      '<div><a name="search_results.mug.link">Image</a><span>Color: Blue</span><span>Ceramic Coffee Mug</span><div><span>€ 9,50</span></div></div>' +
      '<ul><li name="filters.up_to_25">Up to $25</li><li name="filters.price_2">$25 to $50</li></ul>' +
      '</div></body></html>';
    const o = observe(html);
    expect(o.text).toContain(
      'Products (2):\n  1. Desk Lamp LED — $1,299.00 — 4.3 out of 5 stars [search_results.lamp]\n  2. Ceramic Coffee Mug — € 9,50 — options: Color: Blue\n',
    );
    expect(o.elements).toEqual([
      'search_results.lamp.title',
      'search_results.lamp.count',
      'search_results.mug.link',
      'filters.up_to_25',
      'filters.price_2',
    ]);
    expect(o.cut).toBe('none');
  });

  it('reads page_meta where present: a title when the HTML has none, short fields as details, product lists', () => {
    const meta = JSON.stringify({
      title: 'Cart',
      url: 'https://www.amazon.com/MASKED',
      page_type: 'cart',
      items: [{ title: 'Tail Light', price: '$12.00' }, { asin: 'B0' }],
    });
    const text = observationFromHtml('<body><a name="check_out">Check out</a></body>', { pageMeta: meta });
    expect(text).toBe(
      [
        'Page: Cart',
        'Page details: page_type: cart',
        'Products (1):',
        '  1. Tail Light — $12.00',
        'Interactive elements (1):',
        '  [check_out] a "Check out"',
      ].join('\n'),
    );
    // Not JSON, or not an object: ignored.
    expect(observationFromHtml('<body></body>', { pageMeta: '{oops' })).toBe(observationFromHtml('<body></body>'));
    expect(observationFromHtml('<body></body>', { pageMeta: '[1]' })).toBe(observationFromHtml('<body></body>'));
  });

  const big =
    '<html><head><title>Many</title></head><body>' +
    Array.from(
      { length: 30 },
      (_, k) =>
        `<div name="r.p${k}"><a name="r.p${k}.product_name">Product number ${k} with a long descriptive title</a><span>4.${k % 10} out of 5 stars</span><span>$${k}.99</span></div>`,
    ).join('') +
    '</body></html>';

  it('over the budget, text goes before any element: products first, then labels, and ids are cut last, counted', () => {
    const full = observe(big, { maxChars: null });
    expect(full.cut).toBe('none');
    expect(full.shown).toBe(30);
    const elementsOnly = full.text.slice(full.text.indexOf('Interactive elements'));
    // A budget the products do not fit in but the elements with their labels do.
    const o = observe(big, { maxChars: elementsOnly.length + 80 });
    expect(o.cut).toBe('products');
    expect(o.text).toContain('Products (30): not shown (over the observation budget)');
    expect(o.text).toContain(elementsOnly);
    expect(o.shown).toBe(30);
    // Smaller: labels shortened, then ids alone; every id still there.
    const ids = observe(big, { maxChars: 1200 });
    expect(ids.cut).toBe('ids');
    for (let k = 0; k < 30; k++) expect(ids.text).toContain(`[r.p${k}.product_name]`);
    // Smaller still: the list is cut, and says by how much.
    const cut = observe(big, { maxChars: 500 });
    expect(cut.cut).toBe('elements');
    expect(cut.text.length).toBeLessThanOrEqual(500);
    expect(cut.text).toMatch(new RegExp(`… ${30 - cut.shown} more elements not shown$`));
    expect(cut.elements).toHaveLength(30);
  });
});
