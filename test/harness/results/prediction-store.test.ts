import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PredictionStore } from '../../../harness/results/prediction-store.js';

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
});
