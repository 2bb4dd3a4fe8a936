import { Parser } from 'htmlparser2';

/**
 * OPeRA's `simplified_html` (the collection extension's recipe output: the
 * page's own tags and a `name` attribute holding each element's semantic id
 * such as `nav_bar.search_input` or `search_results.<slug>.product_name`)
 * turned into a compact text a simulator can read: page context, the products
 * on the page, and the interactive elements with the semantic ids an action
 * must name. The opera loader makes every step's observation with it, and the
 * text shop (text-shop.ts) its pages, so that both read alike.
 *
 * Products are found by the page's structure, not by class names: the
 * smallest element holding exactly one price text and a title (the text of a
 * descendant whose semantic id ends in `name` or `title`, else of a heading,
 * else the first text of two words or more that is not a price, a rating or a
 * control's label). OPeRA's `page_meta` (a JSON object) adds its scalar fields
 * as page details, and its product lists when the HTML shows none.
 */
export interface ObservationOptions {
  readonly url?: string | null;
  /**
   * Budget of the text (ours); null: none. Over it, page details, product
   * ratings and options go first, then the product lines, then element labels
   * are shortened, then dropped; the element list is cut (with a count of what
   * was left out) only when the ids alone exceed it.
   */
  readonly maxChars?: number | null;
  /** OPeRA's `page_meta` (its JSON string, or the parsed value), when the row has one. */
  readonly pageMeta?: unknown;
}

export const DEFAULT_OBSERVATION_CHARS = 8000;

/** What the budget took away, from nothing to the element list itself. */
export type ObservationCut = 'none' | 'details' | 'products' | 'labels' | 'ids' | 'elements';

export interface Observation {
  readonly text: string;
  /** Semantic ids of every interactive element of the page, in page order. */
  readonly elements: readonly string[];
  /** How many of them the text lists (all but when `cut` is "elements"). */
  readonly shown: number;
  readonly cut: ObservationCut;
}

const ACTIONABLE = new Set(['a', 'button', 'input', 'select', 'textarea', 'option', 'label']);
const CONTROLS = new Set(['button', 'input', 'select', 'textarea', 'option', 'label']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const SKIP = new Set(['script', 'style', 'noscript', 'svg']);
const PRICE = /^(?:US\s?)?[$€£¥]\s?\d[\d,]*(?:\s?[.,]\s?\d{1,2})?$|^\d[\d,]*(?:[.,]\d{2})?\s?(?:USD|EUR|GBP|[$€£])$/;
const RATING = /\b\d(?:[.,]\d)?\s*out of\s*5\b|\bstars?\b/i;
const COUNT = /^\d[\d,]*\s+(?:ratings?|reviews?|global ratings?)$/i;
const OPTION = /^[A-Z][\w ]{0,30}:\s*\S.{0,60}$/;
const TITLE_ID = /(?:^|[._])(?:product_)?(?:name|title)$/;

interface Product {
  readonly id: string | null;
  title: string;
  price: string;
  rating: string;
  readonly options: string[];
}

/** A text inside an element, with what the title rule needs to know about where it sits. */
interface TextBit {
  readonly text: string;
  readonly titleId: boolean;
  readonly heading: boolean;
  readonly control: boolean;
  readonly plain: boolean;
}

interface Frame {
  readonly tag: string;
  readonly name: string | null;
  readonly attrs: Readonly<Record<string, string>>;
  readonly textStart: number;
  /** Text directly in this element (not in a child). */
  direct: string;
  /** A descendant has text of its own. */
  textInside: boolean;
  namedInside: boolean;
  /** Prices found in the subtree and not yet claimed by a product inside it. */
  prices: string[];
  /** The subtree's texts, innermost elements first. */
  bits: TextBit[];
  productInside: boolean;
}

interface Element {
  readonly id: string;
  readonly tag: string;
  readonly label: string;
}

export function observationFromHtml(html: string, opts: ObservationOptions = {}): string {
  return observe(html, opts).text;
}

export function observe(html: string, opts: ObservationOptions = {}): Observation {
  const stack: Frame[] = [];
  let text = '';
  let title = '';
  let inTitle = false;
  let skipDepth = 0;
  const products: Product[] = [];
  const elements: Element[] = [];
  let search = '';

  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        if (SKIP.has(tag)) skipDepth++;
        if (tag === 'title') inTitle = true;
        const name = attrs['name'] && attrs['name'].trim() !== '' ? attrs['name'].trim() : null;
        stack.push({
          tag,
          name,
          attrs,
          textStart: text.length,
          direct: '',
          textInside: false,
          namedInside: false,
          prices: [],
          bits: [],
          productInside: false,
        });
      },
      ontext(data) {
        if (skipDepth > 0) return;
        if (inTitle) title += data;
        else {
          text += data;
          const top = stack[stack.length - 1];
          if (top) top.direct += data;
        }
      },
      onclosetag(tag) {
        const frame = stack.pop();
        if (!frame) return;
        if (SKIP.has(tag) && skipDepth > 0) skipDepth--;
        if (tag === 'title') inTitle = false;
        const own = collapse(text.slice(frame.textStart));
        // Separate the texts of sibling elements.
        text += ' ';
        const flags = {
          titleId: frame.name !== null && TITLE_ID.test(frame.name),
          heading: HEADINGS.has(frame.tag),
          control: CONTROLS.has(frame.tag),
          plain: frame.name === null && !ACTIONABLE.has(frame.tag) && frame.attrs['role'] === undefined,
        };
        const textBit = (t: string) => {
          if (PRICE.test(t)) frame.prices.push(t);
          else frame.bits.push({ text: t, ...flags });
        };
        if (own !== '' && !frame.textInside) textBit(own);
        else if (
          own !== '' &&
          (flags.titleId || flags.heading || frame.tag === 'a') &&
          frame.prices.length === 0 &&
          !frame.productInside
        ) {
          // A title or link with inline markup inside is one text.
          frame.bits = [{ text: own, ...flags }];
        } else if (collapse(frame.direct) !== '') {
          // Text beside child elements (mixed content) is a text of its own, before the children's.
          const before = frame.bits;
          frame.bits = [];
          textBit(collapse(frame.direct));
          frame.bits.push(...before);
        }
        if (!frame.productInside && frame.prices.length === 1) {
          const product = productOf(frame);
          if (product) {
            products.push(product);
            frame.productInside = true;
            frame.prices = [];
          }
        }
        if (frame.name) {
          if (/search_input$/.test(frame.name) && frame.attrs['value']) search = frame.attrs['value'];
          if (
            ACTIONABLE.has(frame.tag) ||
            !frame.namedInside ||
            frame.attrs['clickable'] !== undefined ||
            frame.attrs['data-clickable'] !== undefined
          ) {
            const label =
              own ||
              frame.attrs['value'] ||
              frame.attrs['placeholder'] ||
              frame.attrs['aria-label'] ||
              frame.attrs['title'] ||
              frame.attrs['alt'] ||
              '';
            elements.push({ id: frame.name, tag: frame.tag, label: shorten(label, 80) });
          }
        }
        const parent = stack[stack.length - 1];
        if (parent) {
          if (frame.name || frame.namedInside) parent.namedInside = true;
          if (own !== '') parent.textInside = true;
          parent.prices.push(...frame.prices);
          parent.bits.push(...frame.bits);
          if (frame.productInside) parent.productInside = true;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  // Product containers are never nested, so their closing order is page order.
  const meta = pageMetaOf(opts.pageMeta);
  return render({
    title: collapse(title) || meta.title,
    url: opts.url ?? null,
    search,
    details: meta.details,
    products: products.length > 0 ? products : meta.products,
    elements,
    maxChars: opts.maxChars === undefined ? DEFAULT_OBSERVATION_CHARS : opts.maxChars,
  });
}

/** The product an element holds, when it has a title: its one price, its rating and its option texts. */
function productOf(frame: Frame): Product | null {
  const candidates = frame.bits.filter((b) => !RATING.test(b.text) && !COUNT.test(b.text));
  const titled =
    candidates.find((b) => b.titleId) ??
    candidates.find((b) => b.heading) ??
    candidates.find((b) => !b.control && !OPTION.test(b.text) && b.text.split(' ').length >= 2);
  if (!titled) return null;
  const rating = frame.bits.find((b) => RATING.test(b.text) && !COUNT.test(b.text));
  return {
    id: frame.name,
    title: shorten(titled.text, 160),
    price: frame.prices[0] as string,
    rating: rating?.text ?? '',
    options: frame.bits.filter((b) => b !== titled && b.plain && OPTION.test(b.text)).map((b) => b.text),
  };
}

interface PageMeta {
  readonly title: string;
  readonly details: readonly string[];
  readonly products: readonly Product[];
}

const NO_META: PageMeta = { title: '', details: [], products: [] };

/**
 * OPeRA's page_meta, read generically (its fields are not documented beyond
 * "page metadata with masked URLs"): a title field, short scalar fields as
 * page details (URL-like ones left out: the URL line has the URL), and lists
 * of objects with a title or name as products.
 */
function pageMetaOf(raw: unknown): PageMeta {
  let v = raw;
  if (typeof v === 'string') {
    if (v.trim() === '') return NO_META;
    try {
      v = JSON.parse(v);
    } catch {
      return NO_META;
    }
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return NO_META;
  let title = '';
  const details: string[] = [];
  const products: Product[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (Array.isArray(x)) {
      for (const p of x) {
        if (p === null || typeof p !== 'object' || Array.isArray(p)) continue;
        const o = p as Record<string, unknown>;
        const t = [o['title'], o['name'], o['product_name'], o['product_title']].find((y) => typeof y === 'string');
        if (typeof t !== 'string' || t.trim() === '') continue;
        const price = o['price'];
        products.push({
          id: null,
          title: shorten(collapse(t), 160),
          price: typeof price === 'string' || typeof price === 'number' ? String(price) : '',
          rating: typeof o['rating'] === 'string' ? o['rating'] : '',
          options: [],
        });
      }
      continue;
    }
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') continue;
    const s = collapse(String(x));
    if (s === '' || /url|href|link/i.test(k) || /^https?:\/\//.test(s)) continue;
    if (title === '' && /^(?:page_?)?title$/i.test(k)) {
      title = s;
      continue;
    }
    if (details.length < 8) details.push(`${k}: ${shorten(s, 80)}`);
  }
  return { title, details, products };
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

interface Parts {
  readonly title: string;
  readonly url: string | null;
  readonly search: string;
  readonly details: readonly string[];
  readonly products: readonly Product[];
  readonly elements: readonly Element[];
  readonly maxChars: number | null;
}

/** The text at one level of the budget: each level drops more of what is not an element. */
function renderAt(p: Parts, cut: ObservationCut): { text: string; shown: number } {
  const head: string[] = [`Page: ${p.title || '(no title)'}`];
  if (p.url) head.push(`URL: ${p.url}`);
  if (p.search) head.push(`Search box: "${p.search}"`);
  const full = cut === 'none';
  if (full && p.details.length > 0) head.push(`Page details: ${p.details.join('; ')}`);
  if (p.products.length > 0) {
    if (cut === 'none' || cut === 'details') {
      head.push(`Products (${p.products.length}):`);
      p.products.forEach((x, k) => {
        const bits = (
          full
            ? [
                x.title || '(untitled)',
                x.price,
                x.rating,
                x.options.length > 0 ? `options: ${x.options.join(' / ')}` : '',
              ]
            : [x.title || '(untitled)', x.price]
        ).filter((b) => b !== '');
        head.push(`  ${k + 1}. ${bits.join(' — ')}${x.id ? ` [${x.id}]` : ''}`);
      });
    } else {
      head.push(`Products (${p.products.length}): not shown (over the observation budget)`);
    }
  }
  head.push(`Interactive elements (${p.elements.length}):`);
  const lineOf = (e: Element) => {
    const label = cut === 'labels' ? shorten(e.label, 30) : cut === 'ids' || cut === 'elements' ? '' : e.label;
    return `\n  [${e.id}] ${e.tag}${label ? ` "${label}"` : ''}`;
  };
  let out = head.join('\n');
  if (cut !== 'elements') return { text: out + p.elements.map(lineOf).join(''), shown: p.elements.length };
  const max = p.maxChars ?? Number.POSITIVE_INFINITY;
  let shown = 0;
  for (const e of p.elements) {
    const line = lineOf(e);
    if (out.length + line.length > max - 40) break;
    out += line;
    shown++;
  }
  if (shown < p.elements.length) out += `\n  … ${p.elements.length - shown} more elements not shown`;
  return { text: out, shown };
}

const LEVELS: readonly ObservationCut[] = ['none', 'details', 'products', 'labels', 'ids'];

function render(p: Parts): Observation {
  const ids = p.elements.map((e) => e.id);
  for (const cut of LEVELS) {
    const r = renderAt(p, cut);
    if (p.maxChars === null || r.text.length <= p.maxChars) return { text: r.text, elements: ids, shown: r.shown, cut };
  }
  const r = renderAt(p, 'elements');
  return { text: r.text, elements: ids, shown: r.shown, cut: 'elements' };
}
