import {
  ACTION_TYPES,
  CLICK_TYPES,
  DataError,
  type ActionType,
  type ClickType,
  type SessionAction,
  type SessionProduct,
} from '../../../harness/plugin-api.js';

/** The action-table columns the loader reads (the rest — images, mouse positions, window sizes — are left on disk). */
export const ACTION_COLUMNS = [
  'session_id',
  'action_id',
  'timestamp',
  'action_type',
  'click_type',
  'semantic_id',
  'url',
  'simplified_html',
  'rationale',
  'products',
  'input_text',
] as const;

/** Columns read when a table has them: OPeRA's page metadata (older exports and hand-made tables may lack it). */
export const OPTIONAL_ACTION_COLUMNS = ['page_meta'] as const;

/** Action types of the full version that the filtered action space (and the tasks) leave out. */
export const FULL_ONLY_ACTIONS = new Set(['scroll', 'navigation', 'tab_activate', 'tabActivate']);

const FIX =
  'use the OPeRA action table as released (see HF_DATASET_CARD.md: action_type click/input/terminate, click_type one of the 13 types, products a JSON list)';

export interface ParsedAction {
  readonly sessionId: string;
  readonly actionId: string;
  /** Unix seconds (fractional: OPeRA timestamps have milliseconds). */
  readonly timestamp: number;
  readonly url: string | null;
  readonly html: string;
  readonly action: SessionAction;
  readonly rationale: string | null;
  readonly products: SessionProduct[];
  /** OPeRA's `page_meta` JSON string, when the row has one. */
  readonly pageMeta: string | null;
  /** What the card lets be null and this row lacks: the row is kept with the field null, or skipped (loader option). */
  readonly missing: {
    /** A click or input without a semantic_id: the element acted on is unknown. */
    readonly target: boolean;
    /** An input without input_text. */
    readonly text: boolean;
    /** A click without a click_type. */
    readonly clickType: boolean;
  };
}

export interface ActionRowOptions {
  /** A click_type outside the 13: an error (default), or counted as "other". */
  readonly unknownClickType: 'error' | 'other';
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * One row of an OPeRA action table, checked: null for the full version's
 * scroll/navigation/tab rows (outside the filtered action space), else the
 * action. The fields the dataset card lets be null (click_type, semantic_id,
 * input_text, rationale, products) never fail a row: an action keeps them as
 * null and says so in `missing`. Anything malformed is a DataError naming the
 * file and the row.
 */
export function parseActionRow(
  row: Record<string, unknown>,
  file: string,
  rowNo: number,
  opts: ActionRowOptions,
): ParsedAction | null {
  const sessionId = str(row['session_id']);
  const actionId = str(row['action_id']) ?? `row${rowNo}`;
  const where = `row ${rowNo} (action ${actionId})`;
  const fail = (problem: string, fix = FIX): never => {
    throw new DataError(file, null, `${where}: ${problem}`, fix);
  };
  if (!sessionId) fail('session_id is empty');
  const typeRaw = str(row['action_type']);
  if (typeRaw && FULL_ONLY_ACTIONS.has(typeRaw)) return null;
  if (!typeRaw || !(ACTION_TYPES as readonly string[]).includes(typeRaw))
    fail(`action_type ${JSON.stringify(row['action_type'])} is not one of ${ACTION_TYPES.join(', ')}`);
  const type = typeRaw as ActionType;
  const ts = str(row['timestamp']);
  const ms = ts ? Date.parse(ts) : NaN;
  if (!Number.isFinite(ms)) fail(`timestamp ${JSON.stringify(row['timestamp'])} is not an ISO date-time`);
  const target = str(row['semantic_id']);
  const ct = str(row['click_type']);
  let clickType: ClickType | null = null;
  if (type === 'click' && ct !== null) {
    if ((CLICK_TYPES as readonly string[]).includes(ct)) clickType = ct as ClickType;
    else if (opts.unknownClickType === 'other') clickType = 'other';
    else
      fail(
        `click_type ${JSON.stringify(row['click_type'])} is not one of the 13 OPeRA click types`,
        `${FIX}; or set unknownClickType: other to count such clicks as "other"`,
      );
  }
  const targeted = type === 'click' || type === 'input';
  const text = type === 'input' && typeof row['input_text'] === 'string' ? row['input_text'] : null;
  const html = typeof row['simplified_html'] === 'string' ? row['simplified_html'] : '';
  return {
    sessionId: sessionId as string,
    actionId,
    timestamp: ms / 1000,
    url: str(row['url']),
    html,
    action: { type, clickType, target: targeted ? target : null, text },
    rationale: str(row['rationale'])?.trim() ?? null,
    products: parseProducts(row['products'], fail),
    pageMeta: str(row['page_meta']),
    missing: {
      target: targeted && target === null,
      text: type === 'input' && text === null,
      clickType: type === 'click' && ct === null,
    },
  };
}

function parseProducts(v: unknown, fail: (problem: string) => never): SessionProduct[] {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return [];
  let list: unknown;
  try {
    list = typeof v === 'string' ? JSON.parse(v) : v;
  } catch (e) {
    return fail(`products is not valid JSON (${(e as Error).message})`);
  }
  if (list === null) return [];
  if (!Array.isArray(list)) return fail('products is not a JSON list');
  return list.map((p, k) => {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) return fail(`products[${k}] is not an object`);
    const o = p as Record<string, unknown>;
    const options = Array.isArray(o['options'])
      ? (o['options'] as unknown[])
          .filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x))
          .map((x) => Object.fromEntries(Object.entries(x).map(([a, b]) => [a, String(b)])))
      : [];
    const quantity =
      typeof o['quantity'] === 'number'
        ? o['quantity']
        : typeof o['quantity'] === 'string' && /^\d+$/.test(o['quantity'])
          ? Number(o['quantity'])
          : null;
    return {
      asin: typeof o['asin'] === 'string' ? o['asin'] : '',
      title: typeof o['title'] === 'string' ? o['title'] : '',
      price: typeof o['price'] === 'string' ? o['price'] : typeof o['price'] === 'number' ? String(o['price']) : null,
      quantity,
      options,
    };
  });
}
