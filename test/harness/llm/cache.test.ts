import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LlmCache, type CacheEntry } from '../../../harness/llm/cache.js';

const entry = (key: string, createdAt = '2026-01-01T00:00:00.000Z'): CacheEntry => ({
  key,
  provider: 'openai',
  model: 'gpt-4.1-mini',
  request: `{"k":"${key}"}`,
  text: `reply ${key}`,
  usage: { input: 10, cachedInput: 2, output: 5 },
  costUsd: 0.001,
  modelVersion: 'gpt-4.1-mini-2025-04-14',
  createdAt,
});

const dir = () => mkdtempSync(join(tmpdir(), 'usersim-cache-'));

describe('LlmCache', () => {
  it('stores and returns entries in a WAL-mode SQLite file', () => {
    const path = join(dir(), 'c.sqlite');
    const c = new LlmCache(path);
    c.put(entry('a'));
    expect(c.get('a')).toEqual({ ...entry('a'), finish: null, valid: null, invalidReason: null, failed: false });
    expect(c.get('b')).toBeUndefined();
    c.close();
    const again = new LlmCache(path, true);
    expect(again.get('a')?.text).toBe('reply a');
    expect(again.stats()).toMatchObject({
      entries: 1,
      byModel: [{ provider: 'openai', model: 'gpt-4.1-mini', entries: 1 }],
    });
    again.close();
  });

  it('exports exactly the keys a run used into a new file, and imports it elsewhere', () => {
    const d = dir();
    const c = new LlmCache(join(d, 'c.sqlite'));
    for (const k of ['a', 'b', 'c']) c.put(entry(k));
    const r = c.exportKeys(['a', 'c', 'zz'], join(d, 'shipped.sqlite'));
    expect(r).toEqual({ written: 2, missing: ['zz'] });
    expect(() => c.exportKeys(['a'], join(d, 'shipped.sqlite'))).toThrow(/already exists/);
    const reviewer = new LlmCache(join(d, 'reviewer.sqlite'));
    reviewer.put(entry('a'));
    expect(reviewer.importFrom(join(d, 'shipped.sqlite'))).toEqual({ added: 1, skipped: 1 });
    expect(reviewer.get('c')?.text).toBe('reply c');
    expect(reviewer.get('b')).toBeUndefined();
  });

  it('prunes entries no kept run used, or older than a date', () => {
    const c = new LlmCache(join(dir(), 'c.sqlite'));
    c.put(entry('old', '2025-01-01T00:00:00.000Z'));
    c.put(entry('new', '2026-06-01T00:00:00.000Z'));
    c.put(entry('unused', '2026-06-01T00:00:00.000Z'));
    expect(c.prune({ before: '2026-01-01T00:00:00.000Z' })).toBe(1);
    expect(c.prune({ keep: new Set(['new']) })).toBe(1);
    expect(c.stats().entries).toBe(1);
  });

  it('read-only mode refuses a missing file with the fix', () => {
    expect(() => new LlmCache(join(dir(), 'nope.sqlite'), true)).toThrow(/does not exist/);
  });
});
