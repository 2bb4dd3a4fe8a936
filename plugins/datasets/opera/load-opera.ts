import { relative } from 'node:path';
import {
  DataError,
  observe,
  type Logger,
  type PersonaRecord,
  type Session,
  type SessionStep,
  type SessionsDataset,
} from '../../../harness/plugin-api.js';
import { ACTION_COLUMNS, OPTIONAL_ACTION_COLUMNS, parseActionRow, type ParsedAction } from './action-row.js';
import { tableFiles, tableFolder, type OperaSplit, type OperaVersion } from './layout.js';
import { forEachParquetRow } from './parquet-rows.js';
import { readUserTable } from './user-table.js';

export interface OperaLoadOptions {
  readonly version: OperaVersion;
  /** Budget of an observation's text per step (ours); null: none. */
  readonly observationChars: number | null;
  readonly unknownClickType: 'error' | 'other';
  /** A click or input without semantic_id, or an input without input_text: kept as a step with the field null (it can never be matched), or skipped. */
  readonly untargeted?: 'keep' | 'skip';
  readonly log: Logger;
  /** The dataset's name in tables and the manifest. */
  readonly name?: string;
}

const SPLITS: readonly OperaSplit[] = ['train', 'test'];
const FIX =
  'point path: at a folder laid out like the Hugging Face repository NEU-HAI/OPeRA (OPeRA_filtered/{user,session,action}/{train,test}/…parquet), or run "npx usersim datasets fetch opera"';

export const OPERA_CHOICES = [
  'opera: a session counts as a purchase when one of its clicks has click_type "purchase" (checkout, buy now, subscribe, add to cart)',
  'opera: simplified_html becomes a text observation: page title, URL, search box, page_meta fields, products (found by structure: the smallest element with one price text and a title) and every named interactive element with its semantic id; over observationChars, page details and products are dropped before any element, element labels shortened then dropped, and the element list is cut only when the ids alone exceed it (counted in the manifest)',
  'opera: a click or input without semantic_id, an input without input_text and a click without click_type are kept with the field null (untargeted: keep; such a gold action can never be matched, and a click without a type is left out of click-type scoring) or skipped (untargeted: skip); counted in the manifest',
  "opera: steps are ordered by timestamp within a session; the full version's scroll/navigation/tab rows are left out (the tasks use the filtered action space)",
  'opera: a session\'s user comes from the session table, else from its id (the part before the first "_")',
];

/** What the loader kept, left out and could not show; the manifest records it (dataset `counts`). */
export interface OperaCounts {
  /** Action rows read. */
  actionRows: number;
  /** Rows that became steps. */
  steps: number;
  /** Full version: scroll/navigation/tab rows, outside the filtered action space. */
  outsideActionSpace: number;
  /** Click or input rows without semantic_id (kept untargeted or skipped). */
  withoutSemanticId: number;
  /** Input rows without input_text (kept or skipped). */
  inputsWithoutText: number;
  /** Click rows without click_type (kept, untyped). */
  clicksWithoutClickType: number;
  /** Rows skipped because of a missing field (untargeted: skip). */
  skippedUntargeted: number;
  /** Rows with a page_meta value. */
  withPageMeta: number;
  /** Observations over the budget (some text dropped). */
  observationsShortened: number;
  /** Observations whose element list itself was cut. */
  observationsElementsCut: number;
  /** Gold click/input targets the page lists but the budget cut from the observation. */
  goldTargetsCut: number;
  /** Gold click/input targets that are not among the page's named elements at all. */
  goldTargetsNotOnPage: number;
}

export function emptyCounts(): OperaCounts {
  return {
    actionRows: 0,
    steps: 0,
    outsideActionSpace: 0,
    withoutSemanticId: 0,
    inputsWithoutText: 0,
    clicksWithoutClickType: 0,
    skippedUntargeted: 0,
    withPageMeta: 0,
    observationsShortened: 0,
    observationsElementsCut: 0,
    goldTargetsCut: 0,
    goldTargetsNotOnPage: 0,
  };
}

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
  const counts = emptyCounts();
  const untargeted = o.untargeted ?? 'keep';
  let actionFiles = 0;
  for (const split of SPLITS) {
    for (const f of tableFiles(root, o.version, 'action', split)) {
      actionFiles++;
      const r = await forEachParquetRow(
        f,
        ACTION_COLUMNS,
        (row, rowNo) => {
          counts.actionRows++;
          const a: ParsedAction | null = parseActionRow(row, f, rowNo, { unknownClickType: o.unknownClickType });
          if (!a) {
            counts.outsideActionSpace++;
            return;
          }
          if (a.missing.target) counts.withoutSemanticId++;
          if (a.missing.text) counts.inputsWithoutText++;
          if (a.missing.clickType) counts.clicksWithoutClickType++;
          if (untargeted === 'skip' && (a.missing.target || a.missing.text)) {
            counts.skippedUntargeted++;
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
          if (a.pageMeta !== null) counts.withPageMeta++;
          const obs = observe(a.html, { url: a.url, maxChars: o.observationChars, pageMeta: a.pageMeta });
          if (obs.cut !== 'none') counts.observationsShortened++;
          if (obs.cut === 'elements') counts.observationsElementsCut++;
          const target = a.action.target;
          if (target !== null) {
            const at = obs.elements.indexOf(target);
            if (at < 0) counts.goldTargetsNotOnPage++;
            else if (at >= obs.shown) counts.goldTargetsCut++;
          }
          counts.steps++;
          s.steps.push({
            actionId: a.actionId,
            timestamp: a.timestamp,
            url: a.url,
            observation: obs.text,
            action: a.action,
            rationale: a.rationale,
            products: a.products,
          });
        },
        FIX,
        OPTIONAL_ACTION_COLUMNS,
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
  if (counts.outsideActionSpace > 0)
    o.log.info(
      `opera ${o.version}: left out ${counts.outsideActionSpace} scroll/navigation/tab rows (outside the filtered action space)`,
    );
  const missing = counts.withoutSemanticId + counts.inputsWithoutText + counts.clicksWithoutClickType;
  if (missing > 0)
    o.log.info(
      `opera ${o.version}: ${counts.withoutSemanticId} click/input rows without semantic_id, ${counts.inputsWithoutText} inputs without input_text, ${counts.clicksWithoutClickType} clicks without click_type; ${untargeted === 'skip' ? `${counts.skippedUntargeted} rows skipped` : 'kept with the field null'} (counts in the manifest)`,
    );
  if (counts.goldTargetsCut > 0)
    o.log.warn(
      `opera ${o.version}: ${counts.goldTargetsCut} gold targets fall outside their observation (over observationChars = ${o.observationChars}: the element list was cut); raise observationChars or set it to null`,
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
  return {
    kind: 'sessions',
    name: o.name ?? `opera-${o.version}`,
    users,
    sessions,
    checksums,
    choices: [],
    counts: { ...counts },
  };
}
