/**
 * A safe parser for Python literals as `repr()` writes them: the UCSD (McAuley
 * lab) Steam and Amazon-2014 metadata files are one Python dict per line, not
 * JSON. It never evaluates anything; it accepts exactly the literal grammar
 * (what `ast.literal_eval` accepts for these files) plus JSON's true/false/null
 * so that the same reader takes the JSON-lines releases too.
 *
 * Values: str (u''/r''/b'' prefixes, single, double and triple quotes,
 * escapes), int (also Python 2 `123L`), float, True/False/None, dict, list,
 * tuple and set (both as arrays). `nan`/`inf` are accepted because pandas
 * exports write them; they become NaN/Infinity.
 */
export class PythonLiteralError extends Error {
  constructor(
    /** 1-based column of the offending character. */
    readonly column: number,
    readonly problem: string,
  ) {
    super(`column ${column}: ${problem}`);
    this.name = 'PythonLiteralError';
  }
}

export type PythonValue = string | number | boolean | null | PythonValue[] | { [key: string]: PythonValue };

const MAX_DEPTH = 200;

export function parsePythonLiteral(text: string): PythonValue {
  const p = new Parser(text);
  p.skipSpace();
  const v = p.value(0);
  p.skipSpace();
  if (p.pos < text.length) p.fail(`unexpected ${p.describe()} after the value`);
  return v;
}

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  fail(problem: string): never {
    throw new PythonLiteralError(this.pos + 1, problem);
  }

  expected(what: string): never {
    if (this.pos >= this.s.length) this.fail(`expected ${what} but the line ends (truncated?)`);
    this.fail(`expected ${what} but found ${this.describe()} (an unescaped quote inside a string ends it early)`);
  }

  describe(): string {
    if (this.pos >= this.s.length) return 'end of line';
    return JSON.stringify(this.s.slice(this.pos, this.pos + 12));
  }

  skipSpace(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  value(depth: number): PythonValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const s = this.s;
    const c = s.charCodeAt(this.pos);
    switch (c) {
      case 123 /* { */:
        return this.dictOrSet(depth);
      case 91 /* [ */:
        return this.sequence(93, depth);
      case 40 /* ( */:
        return this.sequence(41, depth);
      case 39 /* ' */:
      case 34 /* " */:
        return this.strings(false);
    }
    if (c === 45 /* - */ || c === 43 /* + */ || (c >= 48 && c <= 57) || c === 46 /* . */) return this.number();
    const word = this.word();
    switch (word) {
      case 'True':
      case 'true':
        return true;
      case 'False':
      case 'false':
        return false;
      case 'None':
      case 'null':
        return null;
      case 'nan':
      case 'NaN':
        return NaN;
      case 'inf':
      case 'Infinity':
        return Infinity;
    }
    // String prefixes: u'', r'', b'', ur'', br'', rb''.
    if (
      word.length > 0 &&
      word.length <= 2 &&
      /^[uUrRbB]+$/.test(word) &&
      (s[this.pos] === "'" || s[this.pos] === '"')
    ) {
      return this.strings(/[rR]/.test(word));
    }
    if (word === '')
      this.fail(
        this.pos >= s.length
          ? 'the line ends where a value should start (truncated?)'
          : `unexpected ${this.describe()} where a value should start`,
      );
    this.pos -= word.length;
    this.fail(
      `"${word}" is not a Python literal (only strings, numbers, True, False, None, dicts, lists, tuples and sets are)`,
    );
  }

  word(): string {
    const s = this.s;
    const start = this.pos;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 48 && c <= 57 && this.pos > start))
        this.pos++;
      else break;
    }
    return s.slice(start, this.pos);
  }

  number(): number {
    const s = this.s;
    const start = this.pos;
    let sign = 1;
    if (s[this.pos] === '-' || s[this.pos] === '+') {
      if (s[this.pos] === '-') sign = -1;
      this.pos++;
      this.skipSpace();
      const w = this.peekWord();
      if (w === 'inf' || w === 'Infinity') {
        this.pos += w.length;
        return sign * Infinity;
      }
    }
    const m =
      /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)[lLjJ]?/.exec(
        s.slice(this.pos, this.pos + 64),
      );
    if (!m) {
      this.pos = start;
      this.fail(`malformed number ${this.describe()}`);
    }
    let lit = m[0];
    this.pos += lit.length;
    if (/[jJ]$/.test(lit)) {
      this.pos = start;
      this.fail('complex numbers are not supported');
    }
    lit = lit.replace(/[lL]$/, '').replace(/_/g, '');
    let n: number;
    if (/^0[xX]/.test(lit)) n = parseInt(lit.slice(2), 16);
    else if (/^0[oO]/.test(lit)) n = parseInt(lit.slice(2), 8);
    else if (/^0[bB]/.test(lit)) n = parseInt(lit.slice(2), 2);
    else n = Number(lit);
    if (!Number.isFinite(n)) {
      this.pos = start;
      this.fail(`malformed number ${this.describe()}`);
    }
    return sign * n;
  }

  peekWord(): string {
    const save = this.pos;
    const w = this.word();
    this.pos = save;
    return w;
  }

  /** One or more adjacent string literals (Python concatenates them). */
  strings(raw: boolean): string {
    let out = this.string(raw);
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      const c = this.s[this.pos];
      if (c === "'" || c === '"') {
        out += this.string(false);
        continue;
      }
      const w = this.peekWord();
      if (
        w.length > 0 &&
        w.length <= 2 &&
        /^[uUrRbB]+$/.test(w) &&
        (this.s[this.pos + w.length] === "'" || this.s[this.pos + w.length] === '"')
      ) {
        this.pos += w.length;
        out += this.string(/[rR]/.test(w));
        continue;
      }
      this.pos = save;
      return out;
    }
  }

  string(raw: boolean): string {
    const s = this.s;
    const start = this.pos;
    const q = s[this.pos] as string;
    const triple = s.startsWith(q + q + q, this.pos);
    this.pos += triple ? 3 : 1;
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= s.length) {
        this.pos = start;
        this.fail(`string opened here is never closed (a missing ${q}, or the line was cut)`);
      }
      const ch = s[this.pos];
      if (ch === q && (!triple || s.startsWith(q + q + q, this.pos))) {
        out += s.slice(chunk, this.pos);
        this.pos += triple ? 3 : 1;
        return out;
      }
      if ((ch === '\n' || ch === '\r') && !triple) {
        this.pos = start;
        this.fail('string opened here runs into a line break (a missing closing quote?)');
      }
      if (ch === '\\') {
        out += s.slice(chunk, this.pos);
        if (raw) {
          out += s.slice(this.pos, this.pos + 2);
          this.pos += 2;
        } else {
          out += this.escape();
        }
        chunk = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  escape(): string {
    const s = this.s;
    const at = this.pos;
    const e = s[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case undefined:
        this.pos = at;
        return this.fail('a backslash ends the line inside a string');
      case '\n':
        return '';
      case '\\':
        return '\\';
      case "'":
        return "'";
      case '"':
        return '"';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'x':
        return this.hex(2, at);
      case 'u':
        return this.hex(4, at);
      case 'U':
        return this.hex(8, at);
      case 'N':
        this.pos = at;
        this.fail('named escapes (\\N{...}) are not supported');
    }
    if (e >= '0' && e <= '7') {
      let digits = e;
      while (
        digits.length < 3 &&
        s[this.pos] !== undefined &&
        (s[this.pos] as string) >= '0' &&
        (s[this.pos] as string) <= '7'
      )
        digits += s[this.pos++];
      return String.fromCharCode(parseInt(digits, 8));
    }
    // Python keeps unknown escapes as written.
    return `\\${e}`;
  }

  hex(n: number, at: number): string {
    const digits = this.s.slice(this.pos, this.pos + n);
    if (digits.length < n || !/^[0-9a-fA-F]+$/.test(digits)) {
      this.pos = at;
      this.fail(`bad escape ${JSON.stringify(this.s.slice(at, at + 2 + n))}: needs ${n} hex digits`);
    }
    this.pos += n;
    const code = parseInt(digits, 16);
    if (code > 0x10ffff) {
      this.pos = at;
      this.fail(`escape ${JSON.stringify(this.s.slice(at, at + 2 + n))} is beyond Unicode`);
    }
    return String.fromCodePoint(code);
  }

  sequence(close: number, depth: number): PythonValue[] {
    this.pos++;
    const out: PythonValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.s.charCodeAt(this.pos) === close) {
        this.pos++;
        return out;
      }
      out.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.s.charCodeAt(this.pos);
      if (c === 44 /* , */) {
        this.pos++;
        continue;
      }
      if (c === close) {
        this.pos++;
        return out;
      }
      this.expected(`"," or "${String.fromCharCode(close)}"`);
    }
  }

  dictOrSet(depth: number): PythonValue {
    this.pos++;
    const obj: { [key: string]: PythonValue } = {};
    let set: PythonValue[] | null = null;
    let first = true;
    for (;;) {
      this.skipSpace();
      if (this.s.charCodeAt(this.pos) === 125 /* } */) {
        this.pos++;
        return set ?? obj;
      }
      const keyAt = this.pos;
      const key = this.value(depth + 1);
      this.skipSpace();
      const c = this.s.charCodeAt(this.pos);
      if (first && (c === 44 || c === 125) && set === null) {
        // {a, b}: a set literal.
        set = [key];
      } else if (set !== null) {
        set.push(key);
      } else {
        if (c !== 58 /* : */) this.expected('":" after a dict key');
        if (key !== null && typeof key === 'object') {
          this.pos = keyAt;
          this.fail('a dict key must be a string, number, bool or None');
        }
        this.pos++;
        this.skipSpace();
        const v = this.value(depth + 1);
        const k = String(key === null ? 'None' : key === true ? 'True' : key === false ? 'False' : key);
        // A key named __proto__ must become an own property, not the prototype.
        if (k === '__proto__')
          Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[k] = v;
      }
      first = false;
      this.skipSpace();
      const d = this.s.charCodeAt(this.pos);
      if (d === 44) {
        this.pos++;
        continue;
      }
      if (d === 125) {
        this.pos++;
        return set ?? obj;
      }
      this.expected('"," or "}"');
    }
  }
}
