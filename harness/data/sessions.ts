/**
 * Web-shopping sessions (OPeRA and its synthetic stand-in): users with survey
 * personas, sessions of ⟨observation, action, rationale⟩ steps, purchase outcome.
 */
export const ACTION_TYPES = ['click', 'input', 'terminate'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** OPeRA's 13 click types. */
export const CLICK_TYPES = [
  'purchase',
  'search',
  'review',
  'filter',
  'quantity',
  'product_option',
  'cart_side_bar',
  'suggested_term',
  'nav_bar',
  'page_related',
  'cart_page_select',
  'product_link',
  'other',
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
  /** What the loader kept, left out or could not show, by name (e.g. rows skipped), for the manifest. */
  readonly counts?: Readonly<Record<string, number>>;
}

/** What a simulator may know of a sessions dataset's training data: train sessions only. */
export interface SessionsTrainData {
  readonly datasetName: string;
  readonly users: readonly PersonaRecord[];
  /** Sessions of the train split, in dataset order. */
  readonly sessions: readonly Session[];
}

/** An earlier step of the current session, as the simulator is shown it (the human's own action). */
export interface PastStep {
  readonly observation: string;
  readonly action: SessionAction;
  readonly rationale: string | null;
}

/**
 * One step to predict: the persona, the session so
 * far and the page now shown. It has no field that could carry the gold action.
 */
export interface StepContext {
  readonly persona: PersonaRecord;
  readonly sessionId: string;
  /** 0-based index of the step to predict. */
  readonly stepIndex: number;
  /** The human's earlier steps of this session, oldest first. */
  readonly history: readonly PastStep[];
  /** The page before the action to predict. */
  readonly observation: string;
}

export interface PredictedAction {
  readonly action: SessionAction;
  readonly rationale?: string;
}

/** The train split of a sessions dataset: all a method's fit may see. */
export function sessionsTrainOf(d: SessionsDataset): SessionsTrainData {
  return { datasetName: d.name, users: d.users, sessions: d.sessions.filter((s) => s.split === 'train') };
}

/** Semantic ids of the interactive elements an observation lists (its `  [id] tag "label"` lines), in page order. */
export function observationTargets(observation: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of observation.matchAll(/^\s+\[([^\]\s]+)\](?: |$)/gm)) {
    const id = m[1] as string;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  return out;
}

/** One line per action: "click [id] (product_link)", "input [id] "desk lamp"", "terminate". */
export function actionText(a: SessionAction): string {
  if (a.type === 'terminate') return 'terminate (end the session)';
  if (a.type === 'input') return `input [${a.target ?? '?'}] "${a.text ?? ''}"`;
  return `click [${a.target ?? '?'}]${a.clickType ? ` (${a.clickType})` : ''}`;
}

/** The test sessions a session task evaluates: those of the test split with at least one step, in dataset order. */
export function testSessionsOf(d: SessionsDataset): Session[] {
  return d.sessions.filter((s) => s.split === 'test' && s.steps.length > 0);
}
