import { afterEach, describe, expect, it } from 'vitest';
import {
  clearSecretsForTests,
  redact,
  redactError,
  redactValue,
  registerSecret,
  registerSecretEnv,
} from '../../../harness/util/secrets.js';

const KEY = 'sk-live-9f3a7c1e5b2d8046aa17';

afterEach(() => clearSecretsForTests());

describe('redact', () => {
  it('passes text through untouched while no secret is registered', () => {
    const t = `Authorization: Bearer ${KEY}`;
    expect(redact(t)).toBe(t);
  });

  it('replaces the whole key with one marker naming its variable', () => {
    registerSecretEnv('OPENAI_API_KEY', { OPENAI_API_KEY: KEY });
    expect(redact(`Incorrect API key provided: ${KEY}.`)).toBe(
      'Incorrect API key provided: [redacted OPENAI_API_KEY].',
    );
    expect(redact(`${KEY}${KEY}`)).toBe('[redacted OPENAI_API_KEY][redacted OPENAI_API_KEY]');
  });

  it('replaces every fragment of 8 or more characters, wherever it starts, and nothing shorter', () => {
    registerSecret('K', KEY);
    for (let at = 0; at + 8 <= KEY.length; at++) {
      const piece = KEY.slice(at, at + 8);
      expect(redact(`<${piece}>`)).toBe('<[redacted K]>');
    }
    // A masked key as the real API shows it: the ends are shorter than 8 characters, so they stay.
    expect(redact(`key ${KEY.slice(0, 7)}****${KEY.slice(-4)}`)).toBe(`key ${KEY.slice(0, 7)}****${KEY.slice(-4)}`);
    expect(redact(`${KEY.slice(0, 10)}...${KEY.slice(-9)}`)).toBe('[redacted K]...[redacted K]');
  });

  it('leaves no fragment in random texts built from pieces of the key and look-alike characters', () => {
    registerSecret('K', KEY);
    let seed = 12345;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let t = 0; t < 300; t++) {
      let text = '';
      while (text.length < 200) {
        const at = next(KEY.length);
        text += next(2) === 0 ? KEY.slice(at, at + 1 + next(12)) : 'sk-0123456789abcdef'.charAt(next(19));
      }
      const out = redact(text);
      for (let at = 0; at + 8 <= KEY.length; at++) expect(out).not.toContain(KEY.slice(at, at + 8));
      // Only what held a fragment changed: with the markers taken out, nothing else is missing.
      const kept = out.split(/\[redacted K\]/);
      let from = 0;
      for (const part of kept) {
        const found = text.indexOf(part, from);
        expect(found).toBeGreaterThanOrEqual(from);
        from = found + part.length;
      }
    }
  });

  it('ignores values too short to be keys, and unset variables', () => {
    registerSecret('LOCAL', 'EMPTY');
    registerSecretEnv('UNSET_VAR_FOR_TEST', {});
    expect(redact('EMPTY reply')).toBe('EMPTY reply');
  });

  it('labels each secret by its own variable', () => {
    registerSecret('A_KEY', 'aaaaaaaaaaaaaaaa1');
    registerSecret('B_KEY', 'bbbbbbbbbbbbbbbb2');
    expect(redact('x aaaaaaaaaaaaaaaa1 y bbbbbbbbbbbbbbbb2')).toBe('x [redacted A_KEY] y [redacted B_KEY]');
  });
});

describe('redactValue and redactError', () => {
  it('copies only what changed; keys and nested strings are redacted', () => {
    const clean = { a: [1, 'x'], b: { c: 'y' } };
    registerSecret('K', KEY);
    expect(redactValue(clean)).toBe(clean);
    const dirty = { a: [1, `said ${KEY}`], b: { [KEY]: 'y' }, c: clean };
    const out = redactValue(dirty);
    expect(out).toEqual({ a: [1, 'said [redacted K]'], b: { '[redacted K]': 'y' }, c: clean });
    expect(out.c).toBe(clean);
    expect(dirty.a[1]).toBe(`said ${KEY}`);
  });

  it('redacts an error message and its stack', () => {
    registerSecret('K', KEY);
    const e = redactError(new Error(`bad key ${KEY}`));
    expect(e.message).toBe('bad key [redacted K]');
    expect(e.stack).not.toContain(KEY.slice(0, 8));
  });
});
