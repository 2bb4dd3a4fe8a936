import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { redact } from '../util/secrets.js';
import type { Usage } from './types.js';

/** One stored response. Secrets never enter the request; a reply or version string that echoes one is redacted when stored. */
export interface CacheEntry {
  readonly key: string;
  readonly provider: string;
  readonly model: string;
  /** Canonical JSON of the identity and request the key was made from. */
  readonly request: string;
  readonly text: string;
  readonly usage: Usage;
  readonly costUsd: number;
  /** The model version string the endpoint reported. */
  readonly modelVersion: string;
  readonly createdAt: string;
  /** Why the model stopped ('stop', 'length' = cut at maxTokens, …), when the endpoint said. */
  readonly finish?: string | null;
  /**
   * Structured requests only: whether the reply passed its schema (after
   * mending), and if not, why. An invalid reply is kept for inspection and
   * replay, never handed to a method as an answer.
   */
  readonly valid?: boolean | null;
  readonly invalidReason?: string | null;
  /**
   * The structured call this request starts ended in an error (its repair turn
   * failed too, or the reply was cut): `--retry-errors` asks again under the
   * next attempt number, and later runs follow the attempts that were kept.
   */
  readonly failed?: boolean;
}

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly byModel: ReadonlyArray<{ provider: string; model: string; entries: number; costUsd: number }>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS responses (
  key TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  request TEXT NOT NULL,
  text TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  model_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  finish TEXT,
  valid INTEGER,
  invalid_reason TEXT,
  failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface Row {
  key: string;
  provider: string;
  model: string;
  request: string;
  text: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  model_version: string;
  created_at: string;
  finish?: string | null;
  valid?: number | null;
  invalid_reason?: string | null;
  failed?: number | null;
}

/** Columns added after format 1: a cache written by an older version gets them on first writable open. */
const ADDED_COLUMNS: ReadonlyArray<[string, string]> = [
  ['finish', 'TEXT'],
  ['valid', 'INTEGER'],
  ['invalid_reason', 'TEXT'],
  ['failed', 'INTEGER NOT NULL DEFAULT 0'],
];

const toEntry = (r: Row): CacheEntry => ({
  key: r.key,
  provider: r.provider,
  model: r.model,
  request: r.request,
  text: r.text,
  usage: { input: r.input_tokens, cachedInput: r.cached_input_tokens, output: r.output_tokens },
  costUsd: r.cost_usd,
  modelVersion: r.model_version,
  createdAt: r.created_at,
  finish: r.finish ?? null,
  valid: r.valid === null || r.valid === undefined ? null : r.valid === 1,
  invalidReason: r.invalid_reason ?? null,
  failed: r.failed === 1,
});

/** Every row written, stored or imported, is redacted: an echoed key never reaches the file. */
const toRow = (e: CacheEntry): Row => ({
  key: e.key,
  provider: e.provider,
  model: e.model,
  request: redact(e.request),
  text: redact(e.text),
  input_tokens: e.usage.input,
  cached_input_tokens: e.usage.cachedInput,
  output_tokens: e.usage.output,
  cost_usd: e.costUsd,
  model_version: redact(e.modelVersion),
  created_at: e.createdAt,
  finish: e.finish ?? null,
  valid: e.valid === null || e.valid === undefined ? null : e.valid ? 1 : 0,
  invalid_reason: e.invalidReason === null || e.invalidReason === undefined ? null : redact(e.invalidReason),
  failed: e.failed ? 1 : 0,
});

/**
 * A portable SQLite file of LLM responses (WAL mode), keyed by the SHA-256 of
 * the canonical request. Transport errors are never stored; replies that
 * failed validation are, marked invalid (see CacheEntry.valid).
 */
export class LlmCache {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], Row>;
  private readonly putStmt: Database.Statement<Row>;

  constructor(
    readonly path: string,
    readonly readOnly = false,
  ) {
    if (readOnly && !existsSync(path))
      throw new Error(
        `LLM cache ${path} does not exist (it was opened read-only): check cache.path, or run once with a writable cache`,
      );
    if (!readOnly) mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { readonly: readOnly, fileMustExist: readOnly });
    if (!readOnly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(SCHEMA);
      const have = new Set((this.db.pragma('table_info(responses)') as Array<{ name: string }>).map((c) => c.name));
      for (const [name, type] of ADDED_COLUMNS)
        if (!have.has(name)) this.db.exec(`ALTER TABLE responses ADD COLUMN ${name} ${type}`);
      this.db.prepare("INSERT OR IGNORE INTO meta (name, value) VALUES ('format', '1')").run();
    }
    this.getStmt = this.db.prepare('SELECT * FROM responses WHERE key = ?');
    this.putStmt = readOnly
      ? (null as unknown as Database.Statement<Row>)
      : this.db.prepare(
          `INSERT OR REPLACE INTO responses (key, provider, model, request, text, input_tokens, cached_input_tokens, output_tokens, cost_usd, model_version, created_at, finish, valid, invalid_reason, failed)
           VALUES (@key, @provider, @model, @request, @text, @input_tokens, @cached_input_tokens, @output_tokens, @cost_usd, @model_version, @created_at, @finish, @valid, @invalid_reason, @failed)`,
        );
  }

  /**
   * Entries written since the last flush. A commit per call costs more CPU than
   * the rest of the harness's path together, so puts are grouped into one
   * transaction every few milliseconds; the runner flushes before it records a
   * unit, so a finished unit's answers are always in the file.
   */
  private pending = new Map<string, Row>();
  private flushTimer: NodeJS.Timeout | null = null;

  get(key: string): CacheEntry | undefined {
    const buffered = this.pending.get(key);
    if (buffered) return toEntry(buffered);
    const row = this.getStmt.get(key);
    return row ? toEntry(row) : undefined;
  }

  put(e: CacheEntry): void {
    if (this.readOnly) return;
    this.pending.set(e.key, toRow(e));
    if (this.pending.size >= 512) this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), 10);
  }

  /**
   * Marks a stored entry: its validity once the reply was checked, or that the
   * structured call it started ended in an error. No-op for a missing key or a
   * read-only cache.
   */
  mark(key: string, m: { valid?: boolean; invalidReason?: string | null; failed?: boolean }): void {
    if (this.readOnly) return;
    const e = this.get(key);
    if (!e) return;
    const next: CacheEntry = {
      ...e,
      ...(m.valid !== undefined ? { valid: m.valid } : {}),
      ...(m.invalidReason !== undefined ? { invalidReason: m.invalidReason } : {}),
      ...(m.failed !== undefined ? { failed: m.failed } : {}),
    };
    if (next.valid === e.valid && next.invalidReason === e.invalidReason && next.failed === e.failed) return;
    this.put(next);
  }

  /** Writes the buffered entries in one transaction. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.size === 0 || !this.db.open) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    this.db.transaction(() => {
      for (const r of rows) this.putStmt.run(r);
    })();
  }

  stats(): CacheStats {
    this.flush();
    const entries = (this.db.prepare('SELECT COUNT(*) AS n FROM responses').get() as { n: number }).n;
    const page = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    const byModel = this.db
      .prepare(
        'SELECT provider, model, COUNT(*) AS entries, SUM(cost_usd) AS costUsd FROM responses GROUP BY provider, model ORDER BY provider, model',
      )
      .all() as Array<{ provider: string; model: string; entries: number; costUsd: number }>;
    return { entries, bytes: page * size, byModel };
  }

  /** Copies the entries with these keys into a new cache file (what a reviewer is sent). */
  exportKeys(keys: Iterable<string>, toPath: string): { written: number; missing: string[] } {
    this.flush();
    if (existsSync(toPath))
      throw new Error(`${toPath} already exists; export writes a new file (remove it or choose another name)`);
    const out = new LlmCache(toPath);
    let written = 0;
    const missing: string[] = [];
    out.db.transaction(() => {
      for (const k of keys) {
        const e = this.get(k);
        if (!e) missing.push(k);
        else {
          out.put(e);
          written++;
        }
      }
    })();
    out.close();
    return { written, missing };
  }

  /** Adds another cache file's entries; existing keys are kept. */
  importFrom(fromPath: string): { added: number; skipped: number } {
    this.flush();
    if (!existsSync(fromPath))
      throw new Error(`${fromPath} does not exist: give the path of a cache file made by "usersim cache export"`);
    const src = new LlmCache(fromPath, true);
    let added = 0;
    let skipped = 0;
    const rows = src.db.prepare('SELECT * FROM responses').iterate() as IterableIterator<Row>;
    this.db.transaction(() => {
      for (const r of rows) {
        if (this.getStmt.get(r.key)) skipped++;
        else {
          this.putStmt.run(toRow(toEntry(r)));
          added++;
        }
      }
    })();
    src.close();
    return { added, skipped };
  }

  /** Deletes entries not in `keep` (when given) and/or older than `before` (ISO time). */
  prune(opts: { keep?: ReadonlySet<string>; before?: string }): number {
    this.flush();
    let removed = 0;
    const del = this.db.prepare('DELETE FROM responses WHERE key = ?');
    const rows = this.db.prepare('SELECT key, created_at FROM responses').all() as Array<{
      key: string;
      created_at: string;
    }>;
    this.db.transaction(() => {
      for (const r of rows) {
        const drop =
          (opts.keep !== undefined && !opts.keep.has(r.key)) ||
          (opts.before !== undefined && r.created_at < opts.before);
        if (drop) removed += del.run(r.key).changes;
      }
    })();
    this.db.exec('VACUUM');
    return removed;
  }

  close(): void {
    this.flush();
    if (this.db.open) this.db.close();
  }
}
