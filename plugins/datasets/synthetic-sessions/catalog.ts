import { slugOf, type Product, type Rng } from '../../../harness/plugin-api.js';

/** Product lines of the generated shop: what people search for, brands, nouns, option dimensions and a price band. */
export const CATEGORIES = [
  {
    query: 'bike light',
    brands: ['ROCKBROS', 'CatEye', 'Lumiere & Co.', 'Ascher'],
    nouns: ['Bike Tail Light', 'USB Rechargeable Bike Light Set', 'Smart Brake Light'],
    options: { Color: ['Red', 'Black', 'White'] },
    price: [12, 45],
  },
  {
    query: 'noise cancelling headphones',
    brands: ['Soundcore', 'Sony', 'JBL', 'TOZO'],
    nouns: ['Wireless Headphones', 'Over-Ear Headphones', 'Earbuds'],
    options: { Color: ['Black', 'Silver', 'Blue'] },
    price: [35, 350],
  },
  {
    query: 'car air freshener',
    brands: ['Airkeep', 'Little Trees', 'Febreze'],
    nouns: ['Ceramic Air Freshener', 'Vent Clip Freshener', 'Scented Tassel'],
    options: { Scent: ['Ocean Mist', 'Cedar Wood', 'Clean Linen', 'White Jasmine'] },
    price: [3, 15],
  },
  {
    query: 'running shoes',
    brands: ['Brooks', 'ASICS', 'New Balance', 'Saucony'],
    nouns: ['Road Running Shoe', 'Trail Runner', 'Cushioned Sneaker'],
    options: { Size: ['7', '8', '9', '10', '11'], Color: ['Black', 'Grey', 'Blue'] },
    price: [60, 160],
  },
  {
    query: 'shampoo for dry scalp',
    brands: ['ATTITUDE', 'Head & Shoulders', 'Briogeo'],
    nouns: ['Soothing Oat Shampoo', 'Scalp Revival Shampoo', 'Moisturizing Shampoo'],
    options: { Size: ['8 fl oz', '16 fl oz'] },
    price: [8, 42],
  },
  {
    query: 'desk lamp',
    brands: ['TaoTronics', 'BenQ', 'Lepro'],
    nouns: ['LED Desk Lamp', 'Architect Lamp', 'Clamp Lamp'],
    options: { Color: ['White', 'Black'] },
    price: [18, 120],
  },
  {
    query: 'nail polish',
    brands: ['OPI', 'Essie', 'Sally Hansen'],
    nouns: ['Nail Lacquer', 'Gel Couleur', 'Quick Dry Polish'],
    options: { Color: ['Big Apple Red', 'Ballet Slippers', 'Mint Candy Apple'] },
    price: [6, 14],
  },
  {
    query: 'coffee grinder',
    brands: ['Baratza', 'OXO', 'KRUPS'],
    nouns: ['Burr Coffee Grinder', 'Blade Grinder', 'Manual Grinder'],
    options: { Style: ['Standard', 'With Scale'] },
    price: [20, 170],
  },
] as const;

export type Category = (typeof CATEGORIES)[number];

export function makeProduct(rng: Rng, c: Category, k: number): Product {
  const brand = rng.pick(c.brands);
  const noun = rng.pick(c.nouns);
  const extra = rng.pick(['', ' for Adults', ' Upgraded 2025', ' Pack of 2', ' with Travel Case', ' Lightweight']);
  const title = `${brand} ${noun}${extra}`;
  const [lo, hi] = c.price;
  const price = (lo + rng.next() * (hi - lo)).toFixed(2);
  const asin = `B0${(0x1000000 + rng.int(0xeffffff)).toString(36).toUpperCase().padStart(8, '0').slice(0, 8)}`;
  return {
    asin,
    brand,
    title,
    price: `$${price}`,
    rating: `${(3 + rng.next() * 2).toFixed(1)} out of 5 stars`,
    reviews: 5 + rng.int(20000),
    options: c.options as Readonly<Record<string, readonly string[]>>,
    slug: `${slugOf(title)}${k > 0 ? `_${k}` : ''}`,
  };
}
