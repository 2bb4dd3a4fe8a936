import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import synthetic from '../../../plugins/datasets/synthetic-sessions/index.ts';
import { writeOperaTables, type GeneratedWorld } from '../../../plugins/datasets/synthetic-sessions/opera-tables.ts';
import { loadOpera } from '../../../plugins/datasets/opera/load-opera.ts';
import { forEachParquetRow } from '../../../plugins/datasets/opera/parquet-rows.ts';
import { CLICK_TYPES, type SessionsDataset } from '../../../harness/data/sessions.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { DataError } from '../../../harness/data/data-error.ts';

const quiet = { info() {}, warn() {} };
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'usersim-synsess-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The filtered_action columns and types of HF_DATASET_CARD.md. */
const ACTION_SCHEMA = [
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
];

describe('synthetic OPeRA Parquet round trip', () => {
  let dir: string;
  let world: GeneratedWorld;
  let loaded: SessionsDataset;
  beforeAll(async () => {
    dir = tmp();
    world = writeOperaTables(dir, {
      users: 40,
      minSessions: 3,
      maxSessions: 8,
      testFraction: 0.25,
      seed: 11,
      rowGroupRows: 25,
    });
    loaded = await loadOpera(dir, {
      version: 'filtered',
      observationChars: 8000,
      unknownClickType: 'error',
      log: quiet,
    });
  });

  it("writes the Hugging Face layout with the card's column names and types", async () => {
    expect(world.files).toEqual([
      'OPeRA_filtered/user/train/train.parquet',
      'OPeRA_filtered/session/train/train.parquet',
      'OPeRA_filtered/action/train-00000-of-00002.parquet',
      'OPeRA_filtered/action/train-00001-of-00002.parquet',
      'OPeRA_filtered/user/test/test.parquet',
      'OPeRA_filtered/session/test/test.parquet',
      'OPeRA_filtered/action/test/test.parquet',
    ]);
    const schemaOf = async (rel: string) => {
      const meta = await parquetMetadataAsync(await asyncBufferFromFile(join(dir, rel)));
      return parquetSchema(meta).children.map((c) => [
        c.element.name,
        c.element.type,
        c.element.converted_type ?? c.element.logical_type?.type ?? null,
      ]);
    };
    expect(await schemaOf('OPeRA_filtered/action/test/test.parquet')).toEqual(
      ACTION_SCHEMA.map((n) => [n, 'BYTE_ARRAY', 'UTF8']),
    );
    expect(await schemaOf('OPeRA_filtered/session/train/train.parquet')).toEqual([
      ['session_id', 'BYTE_ARRAY', 'UTF8'],
      ['user_id', 'BYTE_ARRAY', 'UTF8'],
      ['action_count', 'INT64', null],
    ]);
    expect((await schemaOf('OPeRA_filtered/user/train/train.parquet')).map((c) => c[0])).toEqual([
      'user_id',
      'survey',
      'raw_survey',
      'interview_transcript',
      'interview_transcript_processed',
    ]);
  });

  it('the action tables hold several row groups, read one at a time, and in windows within a group', async () => {
    const file = join(dir, 'OPeRA_filtered/action/train-00000-of-00002.parquet');
    const whole: unknown[] = [];
    const r = await forEachParquetRow(
      file,
      ['action_id', 'simplified_html'],
      (row, n) => whole.push([n, row['action_id'], row['simplified_html']]),
      'x',
    );
    expect(r.rowGroups).toBeGreaterThan(2);
    const windowed: unknown[] = [];
    const w = await forEachParquetRow(
      file,
      ['action_id', 'simplified_html'],
      (row, n) => windowed.push([n, row['action_id'], row['simplified_html']]),
      'x',
      [],
      7,
    );
    expect(w.reads).toBeGreaterThan(r.reads);
    expect(windowed).toEqual(whole);
  });

  it('every generated session comes back with its steps, click types, targets, texts, rationales, products and purchase outcome', () => {
    expect(loaded.sessions.length).toBe(world.sessions.length);
    const byId = new Map(loaded.sessions.map((s) => [s.id, s]));
    for (const g of world.sessions) {
      const s = byId.get(g.id);
      expect(s, g.id).toBeDefined();
      if (!s) continue;
      expect(s.user).toBe(g.user);
      expect(s.split).toBe(g.split);
      expect(s.purchased).toBe(g.purchased);
      expect(
        s.steps.map((x) => ({
          id: x.actionId,
          type: x.action.type,
          click: x.action.clickType,
          target: x.action.target,
          text: x.action.text,
          rationale: x.rationale,
          url: x.url,
        })),
      ).toEqual(
        g.steps.map((x) => ({
          id: x.actionId,
          type: x.actionType,
          click: x.clickType,
          target: x.semanticId,
          text: x.inputText,
          rationale: x.rationale,
          url: x.url,
        })),
      );
      // The loader gives every product all five fields (quantity null, options [] when the row has none).
      const norm = (json: string | null) =>
        json
          ? (JSON.parse(json) as Array<Record<string, unknown>>).map((p) => ({
              asin: p['asin'],
              title: p['title'],
              price: p['price'] ?? null,
              quantity: p['quantity'] ?? null,
              options: p['options'] ?? [],
            }))
          : [];
      expect(s.steps.map((x) => x.products)).toEqual(g.steps.map((x) => norm(x.products)));
    }
  });

  it('all 13 click types occur, sessions end with terminate, lengths are OPeRA-like, some sessions buy and some do not', () => {
    const clicks = new Set(
      loaded.sessions.flatMap((s) => s.steps.map((x) => x.action.clickType).filter((c) => c !== null)),
    );
    expect([...clicks].sort()).toEqual([...CLICK_TYPES].sort());
    expect(loaded.sessions.every((s) => s.steps[s.steps.length - 1]?.action.type === 'terminate')).toBe(true);
    const lengths = loaded.sessions.map((s) => s.steps.length);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect(mean).toBeGreaterThan(5);
    expect(mean).toBeLessThan(15);
    const bought = loaded.sessions.filter((s) => s.purchased).length;
    expect(bought).toBeGreaterThan(0);
    expect(bought).toBeLessThan(loaded.sessions.length);
    expect(loaded.sessions.some((s) => s.split === 'test')).toBe(true);
    const withRationale = loaded.sessions.flatMap((s) => s.steps).filter((x) => x.rationale !== null).length;
    expect(withRationale).toBeGreaterThan(0);
  });

  it("every click or input target is among the observation's semantic ids", () => {
    for (const s of loaded.sessions) {
      for (const step of s.steps) {
        if (step.action.target) expect(step.observation).toContain(`[${step.action.target}]`);
      }
    }
  });

  it('personas come back from the survey strings', () => {
    expect(loaded.users.length).toBe(40);
    const p = loaded.users[0];
    expect(Object.keys(p?.attributes ?? {})).toEqual(
      expect.arrayContaining(['Gender', 'Age', 'City', 'Employment status', 'MBTI personality type']),
    );
    expect(p?.persona).toMatch(/^### Demographic Information/);
  });

  it('the same seed writes the same world; another seed a different one', () => {
    const again = writeOperaTables(tmp(), {
      users: 40,
      minSessions: 3,
      maxSessions: 8,
      testFraction: 0.25,
      seed: 11,
      rowGroupRows: 25,
    });
    expect(again.sessions).toEqual(world.sessions);
    const other = writeOperaTables(tmp(), { users: 5, minSessions: 3, maxSessions: 8, testFraction: 0.25, seed: 12 });
    expect(other.sessions[0]?.id).not.toBe(world.sessions[0]?.id);
  });
});

describe('synthetic-sessions plugin', () => {
  const saved = process.env['USERSIM_DATASETS_DIR'];
  afterEach(() => {
    if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
    else process.env['USERSIM_DATASETS_DIR'] = saved;
  });
  const opts = { users: 6, minSessions: 2, maxSessions: 4, testFraction: 0.25, dataSeed: 3, observationChars: 4000 };
  const ctx = { seed: 1, rng: new Rng(1), configDir: '/', log: quiet };

  it('generates into datasets/cache/synthetic-sessions/<hash>/ once and loads through the opera loader', async () => {
    const cache = tmp();
    process.env['USERSIM_DATASETS_DIR'] = cache;
    const a = await synthetic.load(opts, ctx);
    const folders = readdirSync(join(cache, 'synthetic-sessions'));
    expect(folders.length).toBe(1);
    expect(folders[0]).toMatch(/^[0-9a-f]{16}$/);
    const marker = join(cache, 'synthetic-sessions', folders[0] as string, 'generated.json');
    const made = statSync(marker).mtimeMs;
    const b = await synthetic.load(opts, ctx);
    expect(statSync(marker).mtimeMs).toBe(made);
    expect(b).toEqual(a);
    expect(a.kind).toBe('sessions');
    if (a.kind !== 'sessions') return;
    expect(a.name).toBe('synthetic-sessions');
    expect(a.users.length).toBe(6);
    expect(a.checksums['generated']).toMatch(/^[0-9a-f]{64}$/);
    await synthetic.load({ ...opts, dataSeed: 4 }, ctx);
    expect(readdirSync(join(cache, 'synthetic-sessions')).length).toBe(2);
  });

  it('maxSessions below minSessions is refused with a DataError naming both options and the fix', async () => {
    const e = await synthetic.load({ ...opts, minSessions: 5, maxSessions: 2 }, ctx).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).toBe(
      'synthetic-sessions options: maxSessions (2) is below minSessions (5). Fix: raise maxSessions to at least 5, or lower minSessions',
    );
  });

  it('the user tables list exactly the shoppers with sessions in that split, in shopper order', async () => {
    // minSessions 1 and testFraction 0.3: shoppers with fewer than 4 sessions have none in test
    const dir = tmp();
    const w = writeOperaTables(dir, { users: 30, minSessions: 1, maxSessions: 5, testFraction: 0.3, seed: 13 });
    for (const split of ['train', 'test'] as const) {
      const have = new Set(w.sessions.filter((s) => s.split === split).map((s) => s.user));
      const rows: string[] = [];
      const file = join(dir, 'OPeRA_filtered', 'user', split, `${split}.parquet`);
      await forEachParquetRow(file, ['user_id'], (r) => rows.push(String(r['user_id'])), 'regenerate');
      if (split === 'test') expect(rows.length).toBeLessThan(30); // some shoppers are absent from test
      expect(rows).toEqual(w.shoppers.map((s) => s.id).filter((id) => have.has(id)));
    }
  });
});
