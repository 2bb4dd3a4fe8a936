import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import opera from '../../../plugins/datasets/opera/index.ts';
import { loadOpera } from '../../../plugins/datasets/opera/load-opera.ts';
import { OPERA_DOWNLOADS } from '../../../plugins/datasets/opera/downloads.ts';
import { readUserCsv } from '../../../plugins/datasets/opera/user-table.ts';
import { DataError } from '../../../harness/data/data-error.ts';
import type { SessionsDataset } from '../../../harness/data/sessions.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { sharedDataset } from '../../support/shared-data.ts';

const quiet = { info() {}, warn() {} };
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'usersim-opera-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
async function dataError(p: Promise<unknown> | (() => unknown)): Promise<DataError> {
  const e = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

const OPERA = sharedDataset('opera');

describe.skipIf(OPERA === null)('opera user table (the 2 real rows in ../shared)', () => {
  it('both rows parse into personas with survey attributes and the processed interview as text', () => {
    const { personas, sha256 } = readUserCsv(join(OPERA as string, 'user_table_sample_2users.csv'));
    expect(sha256).toBe('1d1b6f01641f90d57b919678a507e99eaf22f9c942b291119589c66985fe8172');
    expect(personas.map((p) => p.id)).toEqual([
      '7f0c8207-6a6f-49cd-9d7e-17987cfafcb9',
      '85aeec61-2d4e-489d-93bf-76c928d2d795',
    ]);
    const [a, b] = personas;
    expect(a?.attributes).toMatchObject({
      Gender: 'Female',
      Age: '25-34 years old',
      City: 'Blacksburg',
      'Employment status': 'Student',
      'Amazon Prime membership': 'No',
      'MBTI personality type': 'infj',
      'Big Five Scores / Agreeableness': 'Extremely high',
      'To what extent do you agree with the following statements / I usually do a lot research (e.g. reading online reviews) before making purchase.':
        'Strongly agree',
    });
    // Empty answers are left out ("Living situation" is "" for this user).
    expect(a?.attributes['Living situation']).toBeUndefined();
    expect(b?.attributes).toMatchObject({
      Gender: 'Male',
      City: 'Boston',
      'Living situation': 'Live together with roommate',
    });
    expect(a?.persona.startsWith('### Demographic Information\n[Participant] lives in Blacksburg, Virginia')).toBe(
      true,
    );
  });

  it('the persona text is byte-identical to the independent derived copy (MANIFEST.md cross-check)', () => {
    const { personas } = readUserCsv(join(OPERA as string, 'user_table_sample_2users.csv'));
    const derived = JSON.parse(
      readFileSync(join(OPERA as string, 'derived_user_7f0c8207_persona_purchases.json'), 'utf8'),
    ) as { persona: string };
    expect(personas[0]?.persona).toBe(derived.persona.trim());
  });
});

// ---- hand-made OPeRA tables (Parquet written by the test with hyparquet-writer)

type ActionRow = Partial<
  Record<
    | 'session_id'
    | 'action_id'
    | 'timestamp'
    | 'action_type'
    | 'click_type'
    | 'semantic_id'
    | 'url'
    | 'simplified_html'
    | 'rationale'
    | 'products'
    | 'input_text'
    | 'page_meta',
    string | null
  >
>;
const ACTION_COLS = [
  'session_id',
  'action_id',
  'timestamp',
  'action_type',
  'click_type',
  'semantic_id',
  'mouse_position',
  'element_meta',
  'url',
  'window_size',
  'page_meta',
  'simplified_html',
  'rationale',
  'products',
  'input_text',
  'image',
] as const;
const S1 = 'u1_2025-04-03T01:06:11.330000Z_2025-04-03T01:08:28.535000Z';
const PAGE =
  '<html><head><title>Cart</title></head><body><input name="check_out" type="submit" value="Proceed to checkout"/></body></html>';

function writeTables(
  root: string,
  actions: { train: ActionRow[]; test?: ActionRow[] },
  opts: { omit?: string[]; version?: string; shards?: readonly string[] } = {},
) {
  const v = opts.version ?? 'filtered';
  const put = (rel: string, cols: Array<{ name: string; data: unknown[]; type: 'STRING' | 'INT64' }>) => {
    const p = join(root, `OPeRA_${v}`, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    parquetWriteFile({ filename: p, columnData: cols as never });
  };
  const survey = JSON.stringify({
    'Demographic Information': { Gender: 'Female', Age: '25-34 years old' },
    Personality: { 'MBTI personality type': 'infj' },
  });
  put('user/train/train.parquet', [
    { name: 'user_id', data: ['u1'], type: 'STRING' },
    { name: 'survey', data: [survey], type: 'STRING' },
    { name: 'raw_survey', data: ['{}'], type: 'STRING' },
    { name: 'interview_transcript', data: ['Interviewer: hi'], type: 'STRING' },
    { name: 'interview_transcript_processed', data: [''], type: 'STRING' },
  ]);
  put('session/train/train.parquet', [
    { name: 'session_id', data: [S1], type: 'STRING' },
    { name: 'user_id', data: ['u1'], type: 'STRING' },
    { name: 'action_count', data: [BigInt(actions.train.length)], type: 'INT64' },
  ]);
  const columns = (rows: ActionRow[]) =>
    ACTION_COLS.filter((c) => !(opts.omit ?? []).includes(c)).map((c) => ({
      name: c,
      data: rows.map((r) => (r as Record<string, string | null | undefined>)[c] ?? null),
      type: 'STRING' as const,
    }));
  for (const split of ['train', 'test'] as const) {
    const rows = actions[split] ?? [];
    if (rows.length === 0) continue;
    const shards = (opts.shards ?? []).filter((f) => f.startsWith(`action/${split}-`));
    if (shards.length === 0) {
      put(`action/${split}/${split}.parquet`, columns(rows));
      continue;
    }
    // Rows dealt round-robin over the shards, so a session spans several files.
    shards.forEach((f, k) => put(f, columns(rows.filter((_, i) => i % shards.length === k))));
  }
}
const load = (
  root: string,
  unknownClickType: 'error' | 'other' = 'error',
  version: 'filtered' | 'full' = 'filtered',
  more: { untargeted?: 'keep' | 'skip'; observationChars?: number | null } = {},
) => loadOpera(root, { version, observationChars: 8000, unknownClickType, log: quiet, ...more });
const click = (id: string, ts: string, clickType: string, target: string, extra: ActionRow = {}): ActionRow => ({
  session_id: S1,
  action_id: id,
  timestamp: ts,
  action_type: 'click',
  click_type: clickType,
  semantic_id: target,
  url: 'https://www.amazon.com/cart',
  simplified_html: PAGE,
  ...extra,
});

describe('opera loader on Parquet tables', () => {
  it('orders steps by timestamp, parses products, rationale and purchase outcome; personas from the survey', async () => {
    const root = tmp();
    writeTables(root, {
      train: [
        click('a2', '2025-04-03T01:07:00.000Z', 'purchase', 'check_out', {
          rationale: 'Ready to buy.',
          products: JSON.stringify([
            { asin: 'B0BCK29WBT', title: 'Tail Light', price: null, quantity: 1, options: [{ Color: 'Red' }] },
          ]),
        }),
        {
          session_id: S1,
          action_id: 'a1',
          timestamp: '2025-04-03T01:06:31.719Z',
          action_type: 'input',
          semantic_id: 'nav_bar.search_input',
          input_text: 'bike light',
          simplified_html: PAGE,
          rationale: '',
        },
        {
          session_id: S1,
          action_id: 'a3',
          timestamp: '2025-04-03T01:08:28.535Z',
          action_type: 'terminate',
          simplified_html: PAGE,
        },
      ],
    });
    const d: SessionsDataset = await load(root);
    expect(d.kind).toBe('sessions');
    expect(d.users).toEqual([
      {
        id: 'u1',
        attributes: { Gender: 'Female', Age: '25-34 years old', 'MBTI personality type': 'infj' },
        persona: expect.stringContaining('### Demographic Information'),
      },
    ]);
    const s = d.sessions[0];
    expect(s?.user).toBe('u1');
    expect(s?.split).toBe('train');
    expect(s?.purchased).toBe(true);
    expect(
      s?.steps.map((x) => [x.index, x.actionId, x.action.type, x.action.clickType, x.action.target, x.action.text]),
    ).toEqual([
      [0, 'a1', 'input', null, 'nav_bar.search_input', 'bike light'],
      [1, 'a2', 'click', 'purchase', 'check_out', null],
      [2, 'a3', 'terminate', null, null, null],
    ]);
    expect(s?.steps[0]?.timestamp).toBeCloseTo(Date.UTC(2025, 3, 3, 1, 6, 31, 719) / 1000, 6);
    expect(s?.steps[0]?.rationale).toBeNull();
    expect(s?.steps[1]?.rationale).toBe('Ready to buy.');
    expect(s?.steps[1]?.products).toEqual([
      { asin: 'B0BCK29WBT', title: 'Tail Light', price: null, quantity: 1, options: [{ Color: 'Red' }] },
    ]);
    expect(s?.steps[1]?.observation).toContain('[check_out] input "Proceed to checkout"');
    expect(Object.keys(d.checksums).sort()).toEqual([
      'OPeRA_filtered/action/train/train.parquet',
      'OPeRA_filtered/session/train/train.parquet',
      'OPeRA_filtered/user/train/train.parquet',
    ]);
  });

  it('the full version: scroll/navigation/tab rows are left out of the steps', async () => {
    const root = tmp();
    writeTables(
      root,
      {
        train: [
          {
            session_id: S1,
            action_id: 'x',
            timestamp: '2025-04-03T01:06:00Z',
            action_type: 'scroll',
            simplified_html: PAGE,
          },
          click('y', '2025-04-03T01:07:00Z', 'nav_bar', 'nav_bar.cart_button'),
        ],
      },
      { version: 'full' },
    );
    const d = await load(root, 'error', 'full');
    expect(d.sessions[0]?.steps.map((s) => s.actionId)).toEqual(['y']);
    expect(d.sessions[0]?.purchased).toBe(false);
  });

  it('the plugin reads path: and names the dataset by version', async () => {
    const root = tmp();
    writeTables(root, { train: [click('a', '2025-04-03T01:07:00Z', 'search', 'nav_bar.search_button')] });
    const d = await opera.load(
      { variant: 'filtered', path: root, observationChars: 2000, unknownClickType: 'error', untargeted: 'keep' },
      { seed: 1, rng: new Rng(1), configDir: '/', log: quiet },
    );
    expect(d.name).toBe('opera-filtered');
  });
});

describe('opera loader on real-shaped rows: nullable fields, shards, page_meta, the observation budget', () => {
  const at = (k: number) => `2025-04-03T01:0${k}:00.000Z`;
  const SEARCH_PAGE =
    '<html><head><title>Amazon.com</title></head><body><input name="nav_bar.search_input" type="text" value=""/>' +
    '<input name="check_out" type="submit" value="Proceed to checkout"/></body></html>';
  const input = (id: string, ts: string, text: string | null): ActionRow => ({
    session_id: S1,
    action_id: id,
    timestamp: ts,
    action_type: 'input',
    semantic_id: 'nav_bar.search_input',
    input_text: text,
    simplified_html: SEARCH_PAGE,
  });
  const terminate = (id: string, ts: string): ActionRow => ({
    session_id: S1,
    action_id: id,
    timestamp: ts,
    action_type: 'terminate',
    simplified_html: SEARCH_PAGE,
    rationale: null,
    products: null,
  });
  // The card lets semantic_id, input_text and click_type be null: none of these may abort the load.
  const nullable: ActionRow[] = [
    input('n0', at(0), 'lamp'),
    click('n1', at(1), 'product_link', '', { semantic_id: null }),
    input('n2', at(2), null),
    click('n3', at(3), '', 'check_out', { click_type: null }),
    terminate('n4', at(4)),
  ];

  it('null semantic_id, input_text and click_type: kept with the field null (default) or skipped, and counted', async () => {
    const root = tmp();
    writeTables(root, { train: nullable });
    const kept = await load(root);
    const steps = kept.sessions[0]?.steps ?? [];
    expect(steps.map((s) => [s.actionId, s.action.type, s.action.clickType, s.action.target, s.action.text])).toEqual([
      ['n0', 'input', null, 'nav_bar.search_input', 'lamp'],
      ['n1', 'click', 'product_link', null, null],
      ['n2', 'input', null, 'nav_bar.search_input', null],
      ['n3', 'click', null, 'check_out', null],
      ['n4', 'terminate', null, null, null],
    ]);
    expect(kept.counts).toMatchObject({
      actionRows: 5,
      steps: 5,
      withoutSemanticId: 1,
      inputsWithoutText: 1,
      clicksWithoutClickType: 1,
      skippedUntargeted: 0,
      goldTargetsCut: 0,
      goldTargetsNotOnPage: 0,
    });
    const skipped = await load(root, 'error', 'filtered', { untargeted: 'skip' });
    expect(skipped.sessions[0]?.steps.map((s) => s.actionId)).toEqual(['n0', 'n3', 'n4']);
    expect(skipped.counts).toMatchObject({ actionRows: 5, steps: 3, skippedUntargeted: 2, clicksWithoutClickType: 1 });
  });

  it('reads the card\'s sharded layout (action/<split>-*.parquet), the very files "usersim datasets fetch opera" downloads', async () => {
    const filtered = OPERA_DOWNLOADS.find((d) => d.variant === 'filtered');
    const paths = (filtered?.files ?? []).map((f) => `${f.folder}/${f.name}`);
    // The card's configs: action/train-* and action/test-*; session and user tables in their split folders.
    expect(paths.filter((p) => p.includes('/action/'))).toEqual([
      'OPeRA_filtered/action/train-00000-of-00002.parquet',
      'OPeRA_filtered/action/train-00001-of-00002.parquet',
      'OPeRA_filtered/action/test-00000-of-00001.parquet',
    ]);
    expect(paths).toContain('OPeRA_filtered/session/test/test.parquet');
    expect(
      OPERA_DOWNLOADS.find((d) => d.variant === 'full')?.files.filter((f) => (f.name ?? '').startsWith('train-')),
    ).toHaveLength(11);
    const root = tmp();
    const S2 = 'u1_2025-04-04T01:00:00.000000Z_2025-04-04T01:09:00.000000Z';
    writeTables(
      root,
      {
        train: nullable,
        test: [
          { ...input('t0', at(0), 'desk'), session_id: S2 },
          { ...terminate('t1', at(1)), session_id: S2 },
        ],
      },
      { shards: paths.map((p) => p.replace('OPeRA_filtered/', '')).filter((p) => p.startsWith('action/')) },
    );
    const d = await load(root);
    // The train session's rows were dealt over two shards: one session again, in timestamp order.
    expect(d.sessions.map((s) => [s.id, s.split, s.steps.map((x) => x.actionId)])).toEqual([
      [S1, 'train', ['n0', 'n1', 'n2', 'n3', 'n4']],
      [S2, 'test', ['t0', 't1']],
    ]);
    expect(Object.keys(d.checksums).filter((k) => k.includes('/action/'))).toEqual(
      paths.filter((p) => p.includes('/action/')),
    );
    expect(d.counts).toMatchObject({ actionRows: 7, steps: 7 });
  });

  it('reads page_meta where present', async () => {
    const root = tmp();
    writeTables(root, {
      train: [
        click('m0', at(0), 'purchase', 'check_out', {
          simplified_html: '<body><input name="check_out" type="submit" value="Proceed to checkout"/></body>',
          page_meta: JSON.stringify({
            title: 'Shopping Cart',
            url: 'https://www.amazon.com/[MASKED]',
            page_type: 'cart',
          }),
        }),
      ],
    });
    const d = await load(root);
    expect(d.sessions[0]?.steps[0]?.observation).toMatch(
      /^Page: Shopping Cart\nURL: .*\nPage details: page_type: cart\n/,
    );
    expect(d.counts?.['withPageMeta']).toBe(1);
  });

  it('over observationChars text goes first; gold targets the budget still cuts, or the page lacks, are counted', async () => {
    const many =
      '<html><head><title>Results</title></head><body>' +
      Array.from({ length: 60 }, (_, k) => `<a name="results.item_${k}">Result number ${k} with a long label</a>`).join(
        '',
      ) +
      '</body></html>';
    const root = tmp();
    writeTables(root, {
      train: [
        click('b0', at(0), 'product_link', 'results.item_2', { simplified_html: many }),
        click('b1', at(1), 'product_link', 'results.item_59', { simplified_html: many }),
        click('b2', at(2), 'product_link', 'results.not_there', { simplified_html: many }),
      ],
    });
    const roomy = await load(root, 'error', 'filtered', { observationChars: null });
    expect(roomy.counts).toMatchObject({ observationsShortened: 0, goldTargetsCut: 0, goldTargetsNotOnPage: 1 });
    // 1,600 characters hold the 60 ids but not their labels: every element survives.
    const ids = await load(root, 'error', 'filtered', { observationChars: 1600 });
    expect(ids.counts).toMatchObject({ observationsShortened: 3, observationsElementsCut: 0, goldTargetsCut: 0 });
    expect(ids.sessions[0]?.steps[1]?.observation).toContain('[results.item_59] a');
    // 600 do not: the list is cut, and the gold target past the cut is counted.
    const tight = await load(root, 'error', 'filtered', { observationChars: 600 });
    expect(tight.counts).toMatchObject({ observationsElementsCut: 3, goldTargetsCut: 1, goldTargetsNotOnPage: 1 });
  });
});

describe('opera: malformed inputs are DataErrors naming the file, the row and the fix', () => {
  const actionFile = (root: string, split = 'train') =>
    join(root, 'OPeRA_filtered', 'action', split, `${split}.parquet`);

  it('an action table without the click_type column', async () => {
    const root = tmp();
    writeTables(root, { train: [click('a', '2025-04-03T01:07:00Z', 'search', 'x')] }, { omit: ['click_type'] });
    const e = await dataError(load(root));
    expect(e.file).toBe(actionFile(root));
    expect(e.message).toMatch(/missing column "click_type"/);
    expect(e.fix).toMatch(/Hugging Face repository/);
  });

  it('a click_type outside the 13 (row named); unknownClickType: other accepts it as "other"', async () => {
    const root = tmp();
    writeTables(root, {
      train: [
        click('a', '2025-04-03T01:07:00Z', 'search', 'x'),
        click('b', '2025-04-03T01:08:00Z', 'add_to_wishlist', 'wishlist.add'),
      ],
    });
    const e = await dataError(load(root));
    expect(e.file).toBe(actionFile(root));
    expect(e.message).toMatch(/row 2 \(action b\): click_type "add_to_wishlist" is not one of the 13/);
    expect(e.fix).toMatch(/unknownClickType: other/);
    const d = await load(root, 'other');
    expect(d.sessions[0]?.steps[1]?.action.clickType).toBe('other');
  });

  it('products that are not valid JSON', async () => {
    const root = tmp();
    writeTables(root, {
      train: [click('a', '2025-04-03T01:07:00Z', 'purchase', 'check_out', { products: "[{'asin': 'B0'}]" })],
    });
    const e = await dataError(load(root));
    expect(e.message).toMatch(/row 1 \(action a\): products is not valid JSON/);
  });

  it('a timestamp that is not a date, an unknown action_type', async () => {
    const cases: Array<[ActionRow, RegExp]> = [
      [click('a', 'yesterday', 'search', 'x'), /timestamp "yesterday" is not an ISO date-time/],
      [
        { ...click('a', '2025-04-03T01:07:00Z', 'search', 'x'), action_type: 'hover' },
        /action_type "hover" is not one of click, input, terminate/,
      ],
    ];
    for (const [row, re] of cases) {
      const root = tmp();
      writeTables(root, { train: [row] });
      expect((await dataError(load(root))).message).toMatch(re);
    }
  });

  it('a file that is not Parquet, and a Parquet file cut short', async () => {
    const root = tmp();
    writeTables(root, { train: [click('a', '2025-04-03T01:07:00Z', 'search', 'x')] });
    const good = readFileSync(actionFile(root));
    writeFileSync(actionFile(root), 'session_id,action_id\nS,a\n');
    const e = await dataError(load(root));
    expect(e.file).toBe(actionFile(root));
    expect(e.message).toMatch(/not a readable Parquet file/);
    writeFileSync(actionFile(root), good.subarray(0, good.length - 40));
    const f = await dataError(load(root));
    expect(f.message).toMatch(/not a readable Parquet file|cannot be read/);
  });

  it('a session that appears in both the train and the test split', async () => {
    const root = tmp();
    writeTables(root, {
      train: [click('a', '2025-04-03T01:07:00Z', 'search', 'x')],
      test: [click('b', '2025-04-03T01:08:00Z', 'search', 'x')],
    });
    const e = await dataError(load(root));
    expect(e.file).toBe(actionFile(root, 'test'));
    expect(e.message).toMatch(/appears in both the train and the test split/);
  });

  it('a folder without action tables', async () => {
    const e = await dataError(load(tmp()));
    expect(e.message).toMatch(/no OPeRA action table found/);
    expect(e.fix).toMatch(/usersim datasets fetch opera/);
  });

  it('user CSV: a survey that is not JSON, and a missing survey column', async () => {
    const d = tmp();
    writeFileSync(
      join(d, 'u.csv'),
      'user_id,survey,raw_survey,interview_transcript,interview_transcript_processed\nu1,"{not json",{},,\n',
    );
    const e = await dataError(() => readUserCsv(join(d, 'u.csv')));
    expect(e.file).toBe(join(d, 'u.csv'));
    expect(e.message).toMatch(/record 1 \(user u1\): survey is not valid JSON/);
    writeFileSync(join(d, 'v.csv'), 'user_id,interview_transcript\nu1,hello\n');
    const f = await dataError(() => readUserCsv(join(d, 'v.csv')));
    expect(f.line).toBe(1);
    expect(f.message).toMatch(/missing column "survey"/);
  });

  it('user CSV with an unclosed quote (truncated file)', async () => {
    const d = tmp();
    writeFileSync(join(d, 't.csv'), 'user_id,survey\nu1,"{""a"": 1}\nu2,"{""b');
    const e = await dataError(() => readUserCsv(join(d, 't.csv')));
    expect(e.message).toMatch(/not valid CSV/);
  });
});
