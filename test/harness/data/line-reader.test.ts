import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../../harness/data/data-error.ts';
import { forEachLine } from '../../../harness/data/line-reader.ts';
import { forEachRecord } from '../../../harness/data/record-lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'usersim-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const lines = async (path: string, opts = {}) => {
  const out: Array<[number, string]> = [];
  const r = await forEachLine(path, (l, n) => out.push([n, l]), opts);
  return { out, r };
};
async function dataError(p: Promise<unknown>): Promise<DataError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe('forEachLine', () => {
  it('plain and gzip files give the same numbered lines (blank lines skipped, CRLF and BOM stripped)', async () => {
    const text = '\uFEFFfirst\r\nsecond\n\nfourth';
    const a = await lines(file('a.txt', text));
    const b = await lines(file('a.gz', gzipSync(Buffer.from(text))));
    expect(a.out).toEqual([
      [1, 'first'],
      [2, 'second'],
      [4, 'fourth'],
    ]);
    expect(b.out).toEqual(a.out);
    expect(a.r.gzip).toBe(false);
    expect(b.r.gzip).toBe(true);
    expect(b.r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gzip is recognised by its magic bytes, not its name', async () => {
    const { out } = await lines(file('no-extension', gzipSync(Buffer.from('x\ny\n'))));
    expect(out.map(([, l]) => l)).toEqual(['x', 'y']);
  });

  it('multi-byte characters cut by a 1 MB chunk boundary decode intact', async () => {
    const pad = 'a'.repeat((1 << 20) - 1);
    const text = `${pad}é\nnaïve ✓ 😀\n`.repeat(2);
    const { out } = await lines(file('big.txt', text));
    expect(out.map(([, l]) => l)).toEqual([`${pad}é`, 'naïve ✓ 😀', `${pad}é`, 'naïve ✓ 😀']);
  });

  it('latin1 files read as latin1 when asked', async () => {
    const { out } = await lines(file('latin1.dat', Buffer.from('3054::Pokémon\n', 'latin1')), { encoding: 'latin1' });
    expect(out).toEqual([[1, '3054::Pokémon']]);
  });

  it('bad encoding: a latin-1 byte in a UTF-8 file names the line and the column', async () => {
    const p = file(
      'bad.json',
      Buffer.concat([Buffer.from('{"a": 1}\n{"b": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]),
    );
    const e = await dataError(lines(p));
    expect(e.file).toBe(p);
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/not valid UTF-8: byte 0xE9 at column 11/);
    expect(e.fix).toMatch(/iconv/);
  });

  it('a truncated gzip names the line reached', async () => {
    const gz = gzipSync(Buffer.from('line\n'.repeat(50_000)));
    const p = file('cut.gz', gz.subarray(0, gz.length >> 1));
    const e = await dataError(lines(p));
    expect(e.file).toBe(p);
    expect(e.line).toBeGreaterThan(1);
    expect(e.message).toMatch(/gzip data is damaged or cut short/);
    expect(e.fix).toMatch(/download it again/);
  });

  it('a corrupt gzip (flipped bytes) is a DataError', async () => {
    const gz = Buffer.from(gzipSync(Buffer.from('{"x": 1}\n'.repeat(2000))));
    for (const k of [20, 21, 22, 40]) gz[k] = (gz[k] as number) ^ 0xff;
    const e = await dataError(lines(file('corrupt.gz', gz)));
    expect(e.message).toMatch(/gzip data is damaged/);
  });

  it("a missing file is a DataError with the caller's fix", async () => {
    const e = await dataError(lines(join(dir, 'nope.gz'), { fix: 'run usersim datasets fetch' }));
    expect(e.message).toMatch(/cannot read the file \(ENOENT\)/);
    expect(e.fix).toBe('run usersim datasets fetch');
  });
});

describe('forEachRecord', () => {
  it('reads JSON and Python-literal lines in one file', async () => {
    const recs: unknown[] = [];
    await forEachRecord(file('mixed.json', `{"a": 1}\n{u'b': True}\n`), (r) => recs.push(r), { fix: 'f' });
    expect(recs).toEqual([{ a: 1 }, { b: true }]);
  });

  it('a Python literal with a nested quote names the file, line and column', async () => {
    const p = file('nested.json', `{'id': '1', 'title': 'ok'}\n{'id': '2', 'title': 'Tom's Diner'}\n`);
    const e = await dataError(forEachRecord(p, () => {}, { fix: 'use the original file' }));
    expect(e.file).toBe(p);
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/not a JSON object or Python dict literal: column 27/);
    expect(e.message).toContain("s Diner'}");
    expect(e.fix).toBe('use the original file');
  });

  it('a line that is a list, not a record, is a DataError', async () => {
    const e = await dataError(forEachRecord(file('list.json', '[1, 2]\n'), () => {}, { fix: 'f' }));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/expected one record/);
  });
});
