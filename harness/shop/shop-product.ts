/**
 * A product as the shop's pages show it (harness/shop/shop-pages.ts): the
 * synthetic-sessions generator makes them from its product lines, the text
 * shop (harness/shop/text-shop.ts) from a sessions dataset's products.
 */
export interface Product {
  readonly asin: string;
  readonly brand: string;
  readonly title: string;
  readonly price: string;
  readonly rating: string;
  readonly reviews: number;
  readonly options: Readonly<Record<string, readonly string[]>>;
  /** The semantic-id slug of the title, as the collection recipe makes it ("from_text"). */
  readonly slug: string;
}

/** The recipe's `from_text` naming: lower case, runs of non-word characters become "_". */
export function slugOf(text: string): string {
  return text.toLowerCase().replace(/[^\w]+/g, '_');
}
