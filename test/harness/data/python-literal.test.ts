import { describe, expect, it } from 'vitest';
import { parsePythonLiteral, PythonLiteralError } from '../../../harness/data/python-literal.ts';

const fails = (text: string): PythonLiteralError => {
  try {
    parsePythonLiteral(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PythonLiteralError);
    return e as PythonLiteralError;
  }
  throw new Error(`expected ${text} to fail`);
};

describe('parsePythonLiteral', () => {
  it('reads a UCSD steam_games line (u-prefixed strings, lists, floats, False)', () => {
    const line =
      "{u'publisher': u'Kotoshiro', u'genres': [u'Action', u'Casual'], u'app_name': u'Lost Summoner Kitty', u'discount_price': 4.49, u'specs': [u'Single-player'], u'price': 4.99, u'early_access': False, u'id': u'761140'}";
    expect(parsePythonLiteral(line)).toEqual({
      publisher: 'Kotoshiro',
      genres: ['Action', 'Casual'],
      app_name: 'Lost Summoner Kitty',
      discount_price: 4.49,
      specs: ['Single-player'],
      price: 4.99,
      early_access: false,
      id: '761140',
    });
  });

  it('strings: both quotes, the other quote inside, escapes, \\x \\u \\U and octal escapes, raw and byte prefixes, triple quotes, adjacent literals', () => {
    expect(parsePythonLiteral(`"it's"`)).toBe("it's");
    expect(parsePythonLiteral(`'say "hi"'`)).toBe('say "hi"');
    expect(parsePythonLiteral(String.raw`'it\'s \\ a\ttab\nline'`)).toBe("it's \\ a\ttab\nline");
    expect(parsePythonLiteral(String.raw`u'caf\xe9 \u00e9 \U0001F600 \101'`)).toBe('café é 😀 A');
    expect(parsePythonLiteral(String.raw`r'C:\new\d'`)).toBe('C:\\new\\d');
    expect(parsePythonLiteral(`b'bytes'`)).toBe('bytes');
    expect(parsePythonLiteral(`'''multi\nline'''`)).toBe('multi\nline');
    expect(parsePythonLiteral(`'a' "b" u'c'`)).toBe('abc');
    expect(parsePythonLiteral(String.raw`'\q'`)).toBe('\\q');
  });

  it('numbers: ints, negatives, floats, exponents, Python 2 longs, hex, underscores, nan and inf', () => {
    expect(parsePythonLiteral('[0, -7, 3.5, -0.25, 1e3, 2.5E-2, 10L, 0x1F, 1_000, .5]')).toEqual([
      0, -7, 3.5, -0.25, 1000, 0.025, 10, 31, 1000, 0.5,
    ]);
    const special = parsePythonLiteral('[nan, inf, -inf]') as number[];
    expect(Number.isNaN(special[0])).toBe(true);
    expect(special.slice(1)).toEqual([Infinity, -Infinity]);
  });

  it('True/False/None, JSON true/false/null, tuples and sets become arrays, trailing commas, nesting', () => {
    expect(
      parsePythonLiteral(
        "{'a': True, 'b': False, 'c': None, 'd': true, 'e': null, 't': (1, 'x'), 'one': (1,), 's': {1, 2,}, 'n': {'m': [[]]},}",
      ),
    ).toEqual({
      a: true,
      b: false,
      c: null,
      d: true,
      e: null,
      t: [1, 'x'],
      one: [1],
      s: [1, 2],
      n: { m: [[]] },
    });
    expect(parsePythonLiteral('{}')).toEqual({});
    expect(parsePythonLiteral('{1: "one", None: 0}')).toEqual({ '1': 'one', None: 0 });
  });

  it('reads JSON lines unchanged', () => {
    const json =
      '{"reviewerID": "A1", "helpful": [0, 2], "overall": 5.0, "style": {"Format:": " Kindle"}, "verified": true}';
    expect(parsePythonLiteral(json)).toEqual(JSON.parse(json));
  });

  it('never evaluates: names, calls and attribute access are errors', () => {
    expect(fails("{'a': __import__('os')}").message).toMatch(/"__import__" is not a Python literal/);
    expect(fails("{'a': os.system('x')}").message).toMatch(/"os" is not a Python literal/);
    expect(fails('lambda: 1').message).toMatch(/not a Python literal/);
    expect(fails('1 + 2').message).toMatch(/after the value/);
  });

  it('a nested unescaped quote ends the string early and is reported at its column', () => {
    const e = fails("{u'title': u'Assassin's Creed', u'id': u'1'}");
    expect(e.column).toBe(23); // the "s" after the quote that closed the string
    expect(e.message).toMatch(/expected "," or "}"/);
    expect(e.message).toMatch(/unescaped quote/);
  });

  it('a line cut short says so', () => {
    expect(fails("{'a': [1, 2").message).toMatch(/line ends \(truncated\?\)/);
    expect(fails("{'a': 'unterminated").message).toMatch(/never closed/);
    expect(fails("{'a':").message).toMatch(/truncated/);
  });

  it('bad escapes, complex numbers and absurd nesting are errors', () => {
    expect(fails(String.raw`'\x4'`).message).toMatch(/needs 2 hex digits/);
    expect(fails('3j').message).toMatch(/complex/);
    expect(fails('['.repeat(500) + ']'.repeat(500)).message).toMatch(/nesting deeper/);
  });

  it('a key named __proto__ is an ordinary own key', () => {
    const v = parsePythonLiteral("{'__proto__': {'polluted': 1}}") as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
