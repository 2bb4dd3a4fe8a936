import { describe, expect, it } from 'vitest';
import { observationFromHtml } from '../../../harness/shop/observation.ts';

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
