/**
 * Web-shopping sessions (OPeRA and its synthetic stand-in): users with survey
 * personas, sessions of ⟨observation, action, rationale⟩ steps, purchase outcome.
 */
export const ACTION_TYPES = ['click', 'input', 'terminate'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** OPeRA's 13 click types (DESIGN.md §10). */
export const CLICK_TYPES = [
  'purchase', 'search', 'review', 'filter', 'quantity', 'product_option', 'cart_side_bar',
  'suggested_term', 'nav_bar', 'page_related', 'cart_page_select', 'product_link', 'other',
] as const;
export type ClickType = (typeof CLICK_TYPES)[number];

export interface SessionAction {
  readonly type: ActionType;
  /** For clicks: one of the 13 click types. */
  readonly clickType: ClickType | null;
  /** The semantic id of the element acted on (click/input targets). */
  readonly target: string | null;
  /** For inputs: the text typed. */
  readonly text: string | null;
}

/** A product an action involves (OPeRA's `products` column). */
export interface SessionProduct {
  readonly asin: string;
  readonly title: string;
  /** As shown, e.g. "$19.56"; null when the page gave none. */
  readonly price: string | null;
  readonly quantity: number | null;
  /** Chosen options, e.g. [{ Size: "Medium" }, { Color: "Black" }]. */
  readonly options: readonly Readonly<Record<string, string>>[];
}

export interface SessionStep {
  readonly index: number;
  /** The dataset's id of the action (OPeRA `action_id`). */
  readonly actionId: string;
  /** Unix seconds. */
  readonly timestamp: number;
  readonly url: string | null;
  /** Compact text of the page before the action (context, products, interactive elements). */
  readonly observation: string;
  readonly action: SessionAction;
  /** The user's stated reason, when the dataset has one. */
  readonly rationale: string | null;
  /** Products the action involves (e.g. the item added to the cart); empty when none. */
  readonly products: readonly SessionProduct[];
}

export interface Session {
  readonly id: string;
  readonly user: string;
  readonly split: 'train' | 'test';
  readonly steps: readonly SessionStep[];
  /** Whether the session ended in a purchase (how a loader decides is in its choices). */
  readonly purchased: boolean;
}

export interface PersonaRecord {
  readonly id: string;
  /** Survey answers, flattened to key → value. */
  readonly attributes: Readonly<Record<string, string | number>>;
  /** A persona text (processed survey / interview summary). */
  readonly persona: string;
}

export interface SessionsDataset {
  readonly kind: 'sessions';
  readonly name: string;
  readonly users: readonly PersonaRecord[];
  readonly sessions: readonly Session[];
  readonly checksums: Readonly<Record<string, string>>;
  readonly choices: readonly string[];
}
