import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { Rng } from '../../../harness/plugin-api.js';
import { walkSession, type GeneratedSession } from './session-walk.js';
import { makeShopper, type Shopper } from './shopper.js';

export interface GenerateOptions {
  readonly users: number;
  readonly minSessions: number;
  readonly maxSessions: number;
  /** Share of each user's latest sessions that go to the test split. */
  readonly testFraction: number;
  readonly seed: number | string;
  /** Rows per Parquet row group in the action tables (small, so that readers must stream several). */
  readonly rowGroupRows?: number;
}

export interface GeneratedWorld {
  readonly shoppers: readonly Shopper[];
  readonly sessions: ReadonlyArray<GeneratedSession & { readonly split: 'train' | 'test' }>;
  /** The files written, relative to the output folder. */
  readonly files: readonly string[];
}

/**
 * Generates shoppers and their sessions and WRITES them as OPeRA's filtered
 * tables in the Hugging Face layout, Parquet with the card's column names and
 * types: user (user_id, survey, raw_survey, interview_transcript,
 * interview_transcript_processed), session (session_id, user_id,
 * action_count) and action (the 16 string columns of filtered_action).
 * The train action table is written as two shards (`action/train-0000N-of-00002.parquet`)
 * and the test one as `action/test/test.parquet`, the two layouts the
 * repository has used. Returns what was generated, for round-trip checks.
 */
export function writeOperaTables(dir: string, o: GenerateOptions): GeneratedWorld {
  const rng = Rng.derive(o.seed, 'synthetic-sessions');
  const shoppers: Shopper[] = [];
  const sessions: Array<GeneratedSession & { split: 'train' | 'test' }> = [];
  const base = Date.UTC(2025, 2, 20);
  for (let u = 0; u < o.users; u++) {
    const shopper = makeShopper(rng);
    shoppers.push(shopper);
    const n = o.minSessions + rng.int(o.maxSessions - o.minSessions + 1);
    const nTest = Math.floor(n * o.testFraction);
    let start = base + rng.int(10 * 86_400_000);
    for (let k = 0; k < n; k++) {
      start += 3_600_000 + rng.int(5 * 86_400_000);
      sessions.push({ ...walkSession(rng, shopper, start), split: k >= n - nTest ? 'test' : 'train' });
    }
  }
  const root = join(dir, 'OPeRA_filtered');
  const files: string[] = [];
  const write = (
    rel: string,
    columnData: Parameters<typeof parquetWriteFile>[0]['columnData'],
    rowGroupSize?: number,
  ) => {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    parquetWriteFile({ filename: path, columnData, ...(rowGroupSize ? { rowGroupSize } : {}) });
    files.push(join('OPeRA_filtered', rel));
  };
  const str = (name: string, data: Array<string | null>) => ({ name, data, type: 'STRING' as const });

  for (const split of ['train', 'test'] as const) {
    const inSplit = sessions.filter((s) => s.split === split);
    // a Set, not a scan of the split's sessions per shopper: that was quadratic in the shoppers
    const present = new Set(inSplit.map((s) => s.user));
    const users = shoppers.filter((sh) => present.has(sh.id));
    write(`user/${split}/${split}.parquet`, [
      str(
        'user_id',
        users.map((x) => x.id),
      ),
      str(
        'survey',
        users.map((x) => x.survey),
      ),
      str(
        'raw_survey',
        users.map((x) => x.rawSurvey),
      ),
      str(
        'interview_transcript',
        users.map((x) => x.interview),
      ),
      str(
        'interview_transcript_processed',
        users.map((x) => x.interviewProcessed),
      ),
    ]);
    write(`session/${split}/${split}.parquet`, [
      str(
        'session_id',
        inSplit.map((s) => s.id),
      ),
      str(
        'user_id',
        inSplit.map((s) => s.user),
      ),
      { name: 'action_count', data: inSplit.map((s) => BigInt(s.steps.length)), type: 'INT64' },
    ]);
    const shards =
      split === 'train'
        ? [inSplit.slice(0, Math.ceil(inSplit.length / 2)), inSplit.slice(Math.ceil(inSplit.length / 2))]
        : [inSplit];
    shards.forEach((part, k) => {
      const rows = part.flatMap((s) => s.steps.map((st) => ({ s, st })));
      const col = (name: string, f: (r: (typeof rows)[number]) => string | null) => str(name, rows.map(f));
      write(
        split === 'train'
          ? `action/train-${String(k).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.parquet`
          : 'action/test/test.parquet',
        [
          col('session_id', (r) => r.s.id),
          col('action_id', (r) => r.st.actionId),
          col('timestamp', (r) => r.st.timestamp),
          col('action_type', (r) => r.st.actionType),
          col('click_type', (r) => r.st.clickType),
          col('semantic_id', (r) => r.st.semanticId),
          col('mouse_position', (r) =>
            r.st.actionType === 'terminate'
              ? null
              : JSON.stringify({ x: 100 + (r.st.html.length % 900), y: 200 + ((r.st.actionId.length * 37) % 600) }),
          ),
          col('element_meta', (r) =>
            r.st.semanticId ? JSON.stringify({ name: r.st.semanticId.split('.').pop(), data: {} }) : null,
          ),
          col('url', (r) => r.st.url),
          col('window_size', () => JSON.stringify({ width: 1512, height: 823 })),
          col('page_meta', (r) => JSON.stringify({ url: r.st.url })),
          col('simplified_html', (r) => r.st.html),
          col('rationale', (r) => r.st.rationale),
          col('products', (r) => r.st.products),
          col('input_text', (r) => r.st.inputText),
          col('image', (r) => `${r.st.actionId.slice(0, 6)}.jpg`),
        ],
        o.rowGroupRows ?? 25,
      );
    });
  }
  return { shoppers, sessions, files };
}
