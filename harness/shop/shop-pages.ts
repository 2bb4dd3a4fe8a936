import type { ClickType } from '../data/sessions.js';
import { slugOf, type Product } from './shop-product.js';

/**
 * Pages of a shop (the synthetic-sessions generator's, and the text shop the
 * opera-consistency task runs) as simplified HTML in the style of OPeRA's
 * collection recipe: the page's own tags, `name` attributes carrying dotted
 * semantic ids (`nav_bar.search_input`, `search_results.<slug>.product_name`,
 * `buybox.purchase_form.add_to_cart`…) and the recipe's classes
 * (`search-result`, `product-name`, `product-price`…). Each page also lists
 * the targets a user can act on, with the click type OPeRA would give them.
 */
export type PageKind = 'home' | 'search' | 'product' | 'cart' | 'checkout';

export interface Target {
  readonly id: string;
  readonly kind: 'click' | 'input';
  readonly clickType: ClickType | null;
  /** What the click does, for the session walk and the text shop. */
  readonly effect: Effect;
}

export type Effect =
  | { readonly to: 'search'; readonly query?: string }
  | { readonly to: 'product'; readonly product: Product }
  | { readonly to: 'cart' }
  | { readonly to: 'checkout' }
  | { readonly to: 'ordered' }
  | { readonly to: 'typed' }
  | {
      readonly to: 'stay';
      readonly change: 'filter' | 'page' | 'option' | 'review' | 'quantity' | 'select' | 'add' | 'delete' | 'store';
      readonly value?: string;
    };

export interface Page {
  readonly kind: PageKind;
  readonly url: string;
  readonly html: string;
  readonly targets: readonly Target[];
}

export interface PageState {
  readonly kind: PageKind;
  readonly typed: string;
  readonly query: string;
  readonly suggestions: readonly string[];
  readonly results: readonly Product[];
  readonly page: number;
  readonly product: Product | null;
  readonly related: readonly Product[];
  readonly chosen: Readonly<Record<string, string>>;
  readonly cart: readonly { product: Product; quantity: number; options: Readonly<Record<string, string>> }[];
  readonly brands: readonly string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The page of a state: its HTML, URL and the targets a user can act on. Pure: the same state gives the same bytes. */
export function renderPage(s: PageState): Page {
  const targets: Target[] = [];
  const el = (tag: string, id: string, text: string, t: Omit<Target, 'id'> | null, attrs = '') => {
    if (t) targets.push({ id, ...t });
    return `<${tag} name="${esc(id)}"${attrs}>${esc(text)}</${tag}>`;
  };
  const input = (id: string, value: string) => {
    targets.push({ id, kind: 'input', clickType: null, effect: { to: 'typed' } });
    return `<input name="${esc(id)}" type="text" value="${esc(value)}" placeholder="Search Amazon"/>`;
  };
  const click = (clickType: ClickType, effect: Effect): Omit<Target, 'id'> => ({ kind: 'click', clickType, effect });

  const nav =
    `<div name="nav_bar"><div>${input('nav_bar.search_input', s.typed)}${el('button', 'nav_bar.search_button', 'Go', s.typed ? click('search', { to: 'search', query: s.typed }) : null)}</div>` +
    el('a', 'nav_bar.account_and_list_button', 'Account & Lists', click('nav_bar', { to: 'stay', change: 'store' })) +
    el('a', 'nav_bar.order_button', 'Returns & Orders', click('nav_bar', { to: 'stay', change: 'store' })) +
    el(
      'a',
      'nav_bar.cart_button',
      `Cart ${s.cart.reduce((n, c) => n + c.quantity, 0)}`,
      click('nav_bar', { to: 'cart' }),
    ) +
    (s.suggestions.length > 0
      ? `<div name="nav_bar.suggested_terms">${s.suggestions.map((q) => el('div', `nav_bar.suggested_terms.${slugOf(q)}`, q, click('suggested_term', { to: 'search', query: q }))).join('')}</div>`
      : '') +
    '</div>';
  const sideBar =
    s.cart.length > 0 && (s.kind === 'search' || s.kind === 'product')
      ? `<div name="cart_side_bar"><div>Subtotal</div>${el('a', 'cart_side_bar.go_to_cart', 'Go to Cart', click('cart_side_bar', { to: 'cart' }))}</div>`
      : '';

  let body = '';
  let title = 'Amazon.com. Spend less. Smile more.';
  let url = 'https://www.amazon.com/';
  if (s.kind === 'search') {
    title = `Amazon.com : ${s.query}`;
    url = `https://www.amazon.com/s?k=${encodeURIComponent(s.query).replace(/%20/g, '+')}${s.page > 1 ? `&page=${s.page}` : ''}`;
    const filters = s.brands
      .map((b) =>
        el('li', `refinements.brands.${slugOf(b)}`, b, click('filter', { to: 'stay', change: 'filter', value: b })),
      )
      .join('');
    const prices = ['Up to $25', '$25 to $50', '$50 to $100', '$100 & above']
      .map((p) =>
        el('li', `refinements.price.${slugOf(p)}`, p, click('filter', { to: 'stay', change: 'filter', value: p })),
      )
      .join('');
    const results = s.results
      .map((p) => {
        const id = `search_results.${p.slug}`;
        return (
          `<div class="search-result" name="${esc(id)}">` +
          el(
            'a',
            `${id}.product_name`,
            p.title,
            click('product_link', { to: 'product', product: p }),
            ' class="product-name"',
          ) +
          el('div', `${id}.product_image`, 'Product Image', click('product_link', { to: 'product', product: p })) +
          `<div class="product-review"><span class="product-rating">${esc(p.rating)}</span>` +
          el(
            'span',
            `${id}.product_rating_count`,
            `${p.reviews} reviews`,
            click('review', { to: 'product', product: p }),
            ' class="product-rating-count"',
          ) +
          `</div><div class="product-price"><span>${esc(p.price)}</span></div><div class="product-delivery">FREE delivery Fri, Jun 6</div>` +
          el(
            'button',
            `${id}.add_to_cart`,
            'Add to cart',
            click('purchase', { to: 'stay', change: 'add', value: p.asin }),
          ) +
          '</div><split-marker></split-marker>'
        );
      })
      .join('');
    const pagination = `<div name="pagination">${[1, 2, 3]
      .filter((n) => n !== s.page)
      .map((n) =>
        el('a', `pagination.${n}`, String(n), click('page_related', { to: 'stay', change: 'page', value: String(n) })),
      )
      .join(
        '',
      )}${el('a', 'pagination.next', 'Next', click('page_related', { to: 'stay', change: 'page', value: String(s.page + 1) }))}</div>`;
    body = `<div name="refinements"><span class="refinement-title">Brands</span><ul>${filters}</ul><span class="refinement-title">Price</span><ul>${prices}</ul></div><div name="search_results">${results}</div>${pagination}`;
  } else if (s.kind === 'product' && s.product) {
    const p = s.product;
    title = `Amazon.com: ${p.title}`;
    url = `https://www.amazon.com/dp/${p.asin}`;
    const options = Object.entries(p.options)
      .map(([dim, values]) => {
        const d = slugOf(dim);
        const buttons = values
          .map((v) =>
            el(
              'li',
              `product_options.${d}.button_list.${slugOf(v)}`,
              v,
              click('product_option', { to: 'stay', change: 'option', value: `${dim}=${v}` }),
              s.chosen[dim] === v ? ' class="product-option" aria-selected="true"' : '',
            ),
          )
          .join('');
        return `<div name="product_options.${d}"><span>${esc(dim)}: ${esc(s.chosen[dim] ?? 'select')}</span><ul name="product_options.${d}.button_list">${buttons}</ul></div>`;
      })
      .join('');
    const related = s.related
      .map((r) => el('a', `related_products.${r.slug}`, r.title, click('product_link', { to: 'product', product: r })))
      .join('');
    body =
      `<div class="product-detail" name="product"><span class="product-title">${esc(p.title)}</span><span class="product-price">${esc(p.price)}</span><span class="product-rating">${esc(p.rating)}</span>` +
      el('a', 'product_rating_count', `${p.reviews} ratings`, click('review', { to: 'stay', change: 'review' })) +
      el(
        'a',
        `visit_the_${slugOf(p.brand)}_store`,
        `Visit the ${p.brand} Store`,
        click('other', { to: 'stay', change: 'store' }),
      ) +
      `</div>${options}<div name="buybox"><div name="buybox.purchase_form"><div class="product-delivery">FREE Returns</div>` +
      el(
        'span',
        'buybox.purchase_form.quantity_selector.drop_down_list',
        'Quantity: 1',
        click('quantity', { to: 'stay', change: 'quantity' }),
      ) +
      el(
        'input',
        'buybox.purchase_form.add_to_cart',
        'Add to Cart',
        click('purchase', { to: 'stay', change: 'add', value: p.asin }),
        ' type="submit" class="product-add-to-cart"',
      ) +
      el(
        'input',
        'buybox.purchase_form.buy_now',
        'Buy Now',
        click('purchase', { to: 'checkout' }),
        ' type="submit" class="product-buy-now"',
      ) +
      `</div></div><div name="reviews">${el('a', 'reviews.more_reviews', 'See more reviews', click('review', { to: 'stay', change: 'review' }))}</div>` +
      `<div name="related_products">${related}${el('a', 'related_products.next_page', 'Next page', click('page_related', { to: 'stay', change: 'page' }))}</div>`;
  } else if (s.kind === 'cart') {
    title = 'Amazon.com Shopping Cart';
    url = 'https://www.amazon.com/cart';
    const items = s.cart
      .map(({ product: p, quantity, options }) => {
        const id = `active_item_list.${p.slug}`;
        return (
          `<div class="cart-item" name="${esc(id)}">` +
          el('label', `${id}.checkbox`, 'Select', click('cart_page_select', { to: 'stay', change: 'select' })) +
          el(
            'a',
            `${id}.product_detail`,
            p.title,
            click('product_link', { to: 'product', product: p }),
            ' class="product-name"',
          ) +
          `<span class="product-price">${esc(p.price)}</span>${Object.entries(options)
            .map(([k, v]) => `<span class="product-option">${esc(k)}: ${esc(v)}</span>`)
            .join('')}` +
          el(
            'button',
            `${id}.decrease_quantity_by_one`,
            'Decrease quantity by one',
            click('quantity', { to: 'stay', change: 'quantity' }),
          ) +
          `<div role="spinbutton">Current Quantity: ${quantity}</div>` +
          el(
            'button',
            `${id}.increase_quantity_by_one`,
            'Increase quantity by one',
            click('quantity', { to: 'stay', change: 'quantity' }),
          ) +
          el(
            'input',
            `${id}.delete`,
            'Delete',
            click('quantity', { to: 'stay', change: 'delete', value: p.asin }),
            ' type="submit"',
          ) +
          '</div>'
        );
      })
      .join('');
    body = `<div name="active_item_list">${items || '<div>Your Amazon Cart is empty.</div>'}</div>${s.cart.length > 0 ? el('input', 'check_out', 'Proceed to checkout', click('purchase', { to: 'checkout' }), ' type="submit"') : ''}`;
  } else if (s.kind === 'checkout') {
    title = 'Amazon.com Checkout';
    url = 'https://www.amazon.com/gp/buy/spc/handlers/display.html';
    body = `<div name="order_summary">${s.cart.map(({ product: p }) => `<div class="cart-item"><span class="product-name">${esc(p.title)}</span><span class="product-price">${esc(p.price)}</span></div>`).join('')}</div>${el('input', 'place_your_order', 'Place your order', click('purchase', { to: 'ordered' }), ' type="submit"')}`;
  } else {
    body = '<div class="home-feed"><span>Deals for you</span></div>';
  }
  const html = `<html><head><title>${esc(title)}</title></head><body>${nav}${sideBar}${body}</body></html>`;
  return { kind: s.kind, url, html, targets };
}
