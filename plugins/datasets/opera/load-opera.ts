import { relative } from 'node:path';
import {
  DataError,
  observationFromHtml,
  type Logger,
  type PersonaRecord,
  type Session,
  type SessionStep,
  type SessionsDataset,
} from '../../../harness/plugin-api.js';
import { ACTION_COLUMNS, parseActionRow, type ParsedAction } from './action-row.js';
import { tableFiles, tableFolder, type OperaSplit, type OperaVersion } from './layout.js';
import { forEachParquetRow } from './parquet-rows.js';
import { readUserTable } from './user-table.js';

export interface OperaLoadOptions {
  readonly version: OperaVersion;
  /** Longest observation text per step (ours). */
  readonly observationChars: number;
  readonly unknownClickType: 'error' | 'other';
  readonly log: Logger;
  /** The dataset's name in tables and the manifest. */
  readonly name?: string;
}

const SPLITS: readonly OperaSplit[] = ['train', 'test'];
const FIX =
  'point path: at a folder laid out like the Hugging Face repository NEU-HAI/OPeRA (OPeRA_filtered/{user,session,action}/{train,test}/…parquet), or run "npx usersim datasets fetch opera"';

export const OPERA_CHOICES = [
  'opera: a session counts as a purchase when one of its clicks has click_type "purchase" (checkout, buy now, subscribe, add to cart)',
  'opera: simplified_html becomes a text observation: page title, URL, search box, products (class search-result/product-detail/cart-item with product-name/price/rating) and every named interactive element with its semantic id, cut at observationChars',
  "opera: steps are ordered by timestamp within a session; the full version's scroll/navigation/tab rows are left out (the tasks use the filtered action space)",
  'opera: a session\'s user comes from the session table, else from its id (the part before the first "_")',
];

/**
 * Loads OPeRA in its Hugging Face layout: personas from the user table,
 * session → user from the session table, and the action table streamed row
 * group by row group into sessions of ⟨observation, action, rationale⟩ steps
 * with their purchase outcome. The raw HTML of a step is dropped once its
 * observation text is made, so memory holds only the compact texts.
 */
export async function loadOpera(root: string, o: OperaLoadOptions): Promise<SessionsDataset> {
  const checksums: Record<string, string> = {};
  const rel = (p: string) => relative(root, p);

  const personas = new Map<string, PersonaRecord>();
  for (const split of SPLITS) {
    for (const f of tableFiles(root, o.version, 'user', split)) {
      const r = await readUserTable(f);
      checksums[rel(f)] = r.sha256;
      for (const p of r.personas) if (!personas.has(p.id)) personas.set(p.id, p);
    }
  }
  if (personas.size === 0)
    o.log.warn(`opera: no user table under ${tableFolder(o.version, 'user')}: sessions have no personas`);

  const sessionUser = new Map<string, string>();
  for (const split of SPLITS) {
    for (const f of tableFiles(root, o.version, 'session', split)) {
      const r = await forEachParquetRow(
        f,
        ['session_id', 'user_id'],
        (row, rowNo) => {
          const s = row['session_id'];
          const u = row['user_id'];
          if (typeof s !== 'string' || s === '' || typeof u !== 'string' || u === '')
            throw new DataError(f, null, `row ${rowNo}: session_id and user_id must be non-empty strings`, FIX);
          sessionUser.set(s, u);
        },
        FIX,
      );
      checksums[rel(f)] = r.sha256;
    }
  }

  const bySession = new Map<string, { split: OperaSplit; steps: Array<Omit<SessionStep, 'index'>> }>();
  let skipped = 0;
  let actionFiles = 0;
  for (const split of SPLITS) {
    for (const f of tableFiles(root, o.version, 'action', split)) {
      actionFiles++;
      const r = await forEachParquetRow(
        f,
        ACTION_COLUMNS,
        (row, rowNo) => {
          const a: ParsedAction | null = parseActionRow(row, f, rowNo, { unknownClickType: o.unknownClickType });
          if (!a) {
            skipped++;
            return;
          }
          let s = bySession.get(a.sessionId);
          if (!s) bySession.set(a.sessionId, (s = { split, steps: [] }));
          else if (s.split !== split)
            throw new DataError(
              f,
              null,
              `row ${rowNo}: session ${a.sessionId} appears in both the train and the test split`,
              FIX,
            );
          s.steps.push({
            actionId: a.actionId,
            timestamp: a.timestamp,
            url: a.url,
            observation: observationFromHtml(a.html, { url: a.url, maxChars: o.observationChars }),
            action: a.action,
            rationale: a.rationale,
            products: a.products,
          });
        },
        FIX,
      );
      checksums[rel(f)] = r.sha256;
    }
  }
  if (actionFiles === 0)
    throw new DataError(
      root,
      null,
      `no OPeRA action table found (looked for ${tableFolder(o.version, 'action')}/{train,test}/*.parquet and {train,test}-*.parquet)`,
      FIX,
    );
  if (skipped > 0)
    o.log.info(
      `opera ${o.version}: left out ${skipped} scroll/navigation/tab rows (outside the filtered action space)`,
    );

  const sessions: Session[] = [];
  for (const [id, s] of [...bySession].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const ordered = s.steps
      .map((step, k) => ({ step, k }))
      .sort((a, b) => a.step.timestamp - b.step.timestamp || a.k - b.k);
    const steps: SessionStep[] = ordered.map(({ step }, index) => ({ index, ...step }));
    sessions.push({
      id,
      user: sessionUser.get(id) ?? id.split('_')[0] ?? id,
      split: s.split,
      steps,
      purchased: steps.some((st) => st.action.type === 'click' && st.action.clickType === 'purchase'),
    });
  }
  const users = [...personas.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  o.log.info(
    `opera ${o.version}: ${users.length} users, ${sessions.length} sessions (${sessions.filter((s) => s.split === 'test').length} test), ${sessions.reduce((n, s) => n + s.steps.length, 0)} steps`,
  );
  return { kind: 'sessions', name: o.name ?? `opera-${o.version}`, users, sessions, checksums, choices: [] };
}
