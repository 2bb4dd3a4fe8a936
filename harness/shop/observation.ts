import { Parser } from 'htmlparser2';

/**
 * OPeRA's `simplified_html` (the collection extension's recipe output: the
 * page's own tags, a `name` attribute holding each element's semantic id such
 * as `nav_bar.search_input` or `search_results.<slug>.product_name`, recipe
 * classes such as `search-result`, `product-name`, `product-price`) turned
 * into a compact text a simulator can read: page context, the products on
 * the page, and the interactive elements with the semantic ids an action
 * must name. The opera loader makes every step's observation with it, and the
 * text shop (text-shop.ts) its pages, so that both read alike.
 */
export interface ObservationOptions {
  readonly url?: string | null;
  /** Longest observation (ours); the element list is cut with a count of what was left out. */
  readonly maxChars?: number;
}

export const DEFAULT_OBSERVATION_CHARS = 8000;

const ACTIONABLE = new Set(['a', 'button', 'input', 'select', 'textarea', 'option', 'label']);
const PRODUCT_CONTAINERS = ['search-result', 'product-detail', 'cart-item'];
const SKIP = new Set(['script', 'style', 'noscript', 'svg']);

interface Frame {
  readonly tag: string;
  readonly name: string | null;
  readonly classes: readonly string[];
  readonly attrs: Readonly<Record<string, string>>;
  readonly textStart: number;
  namedInside: boolean;
  readonly product: Product | null;
}

interface Product {
  readonly id: string | null;
  title: string;
  price: string;
  rating: string;
  readonly options: string[];
}

interface Element {
  readonly id: string;
  readonly tag: string;
  readonly label: string;
}

export function observationFromHtml(html: string, opts: ObservationOptions = {}): string {
  const stack: Frame[] = [];
  let text = '';
  let title = '';
  let inTitle = false;
  let skipDepth = 0;
  const products: Product[] = [];
  const elements: Element[] = [];
  let search = '';
  const currentProduct = (): Product | null => {
    for (let k = stack.length - 1; k >= 0; k--) if ((stack[k] as Frame).product) return (stack[k] as Frame).product;
    return null;
  };

  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        if (SKIP.has(tag)) skipDepth++;
        if (tag === 'title') inTitle = true;
        const classes = (attrs['class'] ?? '').split(/\s+/).filter((c) => c !== '');
        const name = attrs['name'] && attrs['name'].trim() !== '' ? attrs['name'].trim() : null;
        const isProduct = classes.some((c) => PRODUCT_CONTAINERS.includes(c));
        const product: Product | null = isProduct ? { id: name, title: '', price: '', rating: '', options: [] } : null;
        if (product) products.push(product);
        stack.push({ tag, name, classes, attrs, textStart: text.length, namedInside: false, product });
      },
      ontext(data) {
        if (skipDepth > 0) return;
        if (inTitle) title += data;
        else text += data;
      },
      onclosetag(tag) {
        const frame = stack.pop();
        if (!frame) return;
        if (SKIP.has(tag) && skipDepth > 0) skipDepth--;
        if (tag === 'title') inTitle = false;
        const own = collapse(text.slice(frame.textStart));
        // Separate the texts of sibling elements.
        text += ' ';
        const p = currentProduct();
        if (p) {
          if (!p.title && (frame.classes.includes('product-name') || frame.classes.includes('product-title')))
            p.title = own;
          if (!p.price && frame.classes.includes('product-price')) p.price = own;
          if (!p.rating && frame.classes.includes('product-rating')) p.rating = own;
          if (frame.classes.includes('product-option') && own) p.options.push(own);
        }
        if (frame.product && !frame.product.title) frame.product.title = own.slice(0, 160);
        const parent = stack[stack.length - 1];
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
            elements.push({
              id: frame.name,
              tag: frame.tag,
              label: label.length > 80 ? `${label.slice(0, 79)}…` : label,
            });
          }
        }
        if (parent && (frame.name || frame.namedInside)) parent.namedInside = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return render(
    collapse(title),
    opts.url ?? null,
    search,
    products,
    elements,
    opts.maxChars ?? DEFAULT_OBSERVATION_CHARS,
  );
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function render(
  title: string,
  url: string | null,
  search: string,
  products: Product[],
  elements: Element[],
  maxChars: number,
): string {
  const head: string[] = [];
  head.push(`Page: ${title || '(no title)'}`);
  if (url) head.push(`URL: ${url}`);
  if (search) head.push(`Search box: "${search}"`);
  if (products.length > 0) {
    head.push(`Products (${products.length}):`);
    products.forEach((p, k) => {
      const bits = [
        p.title || '(untitled)',
        p.price,
        p.rating,
        p.options.length > 0 ? `options: ${p.options.join(' / ')}` : '',
      ].filter((b) => b !== '');
      head.push(`  ${k + 1}. ${bits.join(' — ')}${p.id ? ` [${p.id}]` : ''}`);
    });
  }
  head.push(`Interactive elements (${elements.length}):`);
  let out = head.join('\n');
  let shown = 0;
  for (const e of elements) {
    const line = `\n  [${e.id}] ${e.tag}${e.label ? ` "${e.label}"` : ''}`;
    if (out.length + line.length > maxChars - 40) break;
    out += line;
    shown++;
  }
  if (shown < elements.length) out += `\n  … ${elements.length - shown} more elements not shown`;
  return out;
}
