import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PredictionStore } from '../../../harness/results/prediction-store.js';
import { clearSecretsForTests, registerSecret } from '../../../harness/util/secrets.js';

interface Line {
  readonly id: string;
  readonly unit: string;
  readonly answer: unknown;
  readonly error: { kind: string; message: string } | null;
}

const file = () => join(mkdtempSync(join(tmpdir(), 'usersim-store-')), 'cell.jsonl');
const line = (unit: string, answer: unknown, error: Line['error'] = null): Line => ({
  id: `id-${unit}`,
  unit,
  answer,
  error,
});

describe('PredictionStore', () => {
  it('reopens what it wrote: keys with escapes, lines in another key order, every line as written', () => {
    const path = file();
    const a = new PredictionStore<Line>(path);
    const lines = [
      line('u"1\\x', { said: 'an "error":{ inside a string' }),
      line('u2', [1, 2], { kind: 'parse', message: 'not JSON' }),
      line('ü3 ✓', null),
    ];
    for (const l of lines) a.append(l);
    a.close();
    // A line written by another tool, keys in another order: still read.
    appendFileSync(path, `${JSON.stringify({ unit: 'u4', answer: 4, error: null, id: 'id-u4' })}\n`);
    const b = new PredictionStore<Line>(path);
    expect([...b.done.keys()]).toEqual(['u"1\\x', 'u2', 'ü3 ✓', 'u4']);
    expect(b.done.get('u"1\\x')).toEqual(lines[0]);
    expect(b.done.get('u2')).toEqual(lines[1]);
    expect([...b.done.values()].map((l) => l.unit)).toEqual(['u"1\\x', 'u2', 'ü3 ✓', 'u4']);
    // Only the real error, not the text that looks like one.
    expect([...b.done.withErrors()].map((l) => l.unit)).toEqual(['u2']);
    expect(b.repaired).toEqual({ torn: 0, duplicates: 0 });
  });

  it('cuts off a torn last line, counts duplicates, and compacts to one line per unit in order', () => {
    const path = file();
    const a = new PredictionStore<Line>(path);
    a.append(line('b', 1));
    a.append(line('a', 2));
    a.append(line('b', 3));
    a.close();
    const whole = readFileSync(path, 'utf8');
    writeFileSync(path, `${whole}${JSON.stringify(line('c', 4)).slice(0, 30)}`);
    const b = new PredictionStore<Line>(path);
    expect(b.repaired).toEqual({ torn: 1, duplicates: 1 });
    expect(readFileSync(path, 'utf8')).toBe(whole);
    expect(b.done.get('b')?.answer).toBe(3);
    b.compact(['a', 'b', 'c']);
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(line('a', 2))}\n${JSON.stringify(line('b', 3))}\n`);
  });

  it('a last line torn just after a closing brace is still found torn (it is parsed in full)', () => {
    const path = file();
    const text = JSON.stringify(line('a', { x: { y: 1 } }));
    writeFileSync(path, `${JSON.stringify(line('z', 0))}\n${text.slice(0, text.indexOf('}') + 1)}`);
    const s = new PredictionStore<Line>(path);
    expect(s.repaired.torn).toBe(1);
    expect([...s.done.keys()]).toEqual(['z']);
  });

  it('keeps where each line is, not its text: reads back lines of a large file in any order, before and after compaction', () => {
    const path = file();
    const a = new PredictionStore<Line>(path);
    // Long lines with multi-byte text, appended out of unit order, some twice: offsets are in bytes, windows are 64 KiB.
    const order = Array.from({ length: 400 }, (_, k) => `ü${k}`);
    const shuffled = [...order].reverse();
    for (const u of shuffled) a.append(line(u, { text: `✓ ${u} `.repeat(80) }));
    for (const u of order.slice(0, 50)) a.append(line(u, { text: `again ${u}` }, { kind: 'parse', message: 'x' }));
    // Read while the file is still open for appending.
    expect(a.done.get('ü399')?.answer).toEqual({ text: '✓ ü399 '.repeat(80) });
    a.compact(order);
    const compacted = readFileSync(path, 'utf8');
    expect(
      compacted
        .split('\n')
        .filter(Boolean)
        .map((t) => (JSON.parse(t) as Line).unit),
    ).toEqual(order);
    for (const u of [...order].sort(() => 0.5 - Math.random()))
      expect(a.done.get(u)).toEqual(JSON.parse(compacted.split('\n')[order.indexOf(u)] as string));
    expect(new Set([...a.done.withErrors()].map((l) => l.unit))).toEqual(new Set(order.slice(0, 50)));
    // Compacting a compact file leaves it as it is (same inode: not rewritten).
    const inode = statSync(path).ino;
    a.compact(order);
    expect(statSync(path).ino).toBe(inode);
    const b = new PredictionStore<Line>(path);
    for (const u of order) expect(b.done.get(u)).toEqual(a.done.get(u));
  });

  it('compaction drops the lines of units it was not given, from the file and from the store', () => {
    const path = file();
    const a = new PredictionStore<Line>(path);
    a.append(line('b', 1, { kind: 'parse', message: 'x' }));
    a.append(line('gone', 2, { kind: 'parse', message: 'y' }));
    a.append(line('a', 3));
    a.compact(['a', 'b']);
    expect(a.done.has('gone')).toBe(false);
    expect([...a.done.keys()]).toEqual(['a', 'b']);
    expect([...a.done.withErrors()].map((l) => l.unit)).toEqual(['b']);
    expect([...a.done.values()].map((l) => l.answer)).toEqual([3, 1]);
    expect(readFileSync(path, 'utf8')).toBe(
      `${JSON.stringify(line('a', 3))}\n${JSON.stringify(line('b', 1, { kind: 'parse', message: 'x' }))}\n`,
    );
  });

  it('compaction rewrites a compact file that holds a secret learned since it was written', () => {
    const path = file();
    const a = new PredictionStore<Line>(path);
    a.append(line('a', 'ok'));
    a.close();
    writeFileSync(
      path,
      `${readFileSync(path, 'utf8')}${JSON.stringify(line('b', 'key sk-live-0123456789abcdefXYZ'))}\n`,
    );
    const b = new PredictionStore<Line>(path);
    registerSecret('TEST_KEY', 'sk-live-0123456789abcdefXYZ');
    try {
      b.compact(['a', 'b']);
      expect(readFileSync(path, 'utf8')).not.toContain('sk-live-0123456789abcdefXYZ');
      expect(b.done.get('b')?.answer).not.toContain('sk-live');
    } finally {
      clearSecretsForTests();
    }
  });
});
