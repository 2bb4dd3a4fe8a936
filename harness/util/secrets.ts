/**
 * The secrets this process has read (API keys and `secret: true` config
 * fields, by the environment variable that held them) and the one redactor
 * every write and print goes through. An endpoint may echo a key back in an
 * error body or a header, so the redactor looks at the text itself: the whole
 * value, or any piece of it of FRAGMENT_CHARS or more, becomes
 * `[redacted VAR]`.
 *
 * Process-wide on purpose: a secret read anywhere (config load, provider
 * creation, the moment a key is first sent) must be hidden everywhere, and
 * hiding one more value than a run needed costs nothing.
 */

/** Pieces of a secret this long or longer are redacted; so are whole values of this length. */
export const FRAGMENT_CHARS = 8;

interface Secret {
  readonly name: string;
  readonly value: string;
}

const secrets: Secret[] = [];
/** Every FRAGMENT_CHARS-long piece of every secret → where it starts in which secret. */
const pieces = new Map<string, Array<{ secret: Secret; at: number }>>();

/*
 * Every write goes through redact(), so it must cost little per character: a
 * rolling hash of the last FRAGMENT_CHARS characters is checked against a
 * bitmap of the pieces' hashes, and only a bitmap hit looks the piece up.
 */
const BASE = 0x01000193;
const BASE_TOP = Array.from({ length: FRAGMENT_CHARS - 1 }).reduce<number>((p) => Math.imul(p, BASE), 1);
const FILTER_BITS = 16;
const filter = new Uint8Array(1 << FILTER_BITS);
const slot = (h: number) => (h ^ (h >>> FILTER_BITS)) & ((1 << FILTER_BITS) - 1);

function hashOf(text: string, from: number): number {
  let h = 0;
  for (let k = 0; k < FRAGMENT_CHARS; k++) h = (Math.imul(h, BASE) + text.charCodeAt(from + k)) | 0;
  return h;
}

/**
 * Registers the value of a secret, labelled with the variable (or config
 * field) it came from. Values shorter than FRAGMENT_CHARS are not real keys
 * (local servers take "x" or "EMPTY") and cannot be told from ordinary text:
 * they are left alone.
 */
export function registerSecret(name: string, value: string | undefined): void {
  if (value === undefined || value.length < FRAGMENT_CHARS) return;
  if (secrets.some((s) => s.value === value)) return;
  const secret = { name, value };
  secrets.push(secret);
  for (let at = 0; at + FRAGMENT_CHARS <= value.length; at++) {
    const piece = value.slice(at, at + FRAGMENT_CHARS);
    const list = pieces.get(piece);
    if (list) list.push({ secret, at });
    else pieces.set(piece, [{ secret, at }]);
    filter[slot(hashOf(value, at))] = 1;
  }
}

/** Registers the value an environment variable holds as a secret named after the variable. */
export function registerSecretEnv(variable: string, env: NodeJS.ProcessEnv = process.env): void {
  registerSecret(variable, env[variable]);
}

/** True once any secret is registered: until then every text passes through untouched, at no cost. */
export function hasSecrets(): boolean {
  return secrets.length > 0;
}

/** The text with every registered secret, whole or in pieces of FRAGMENT_CHARS or more, replaced by `[redacted VAR]`. */
export function redact(text: string): string {
  if (secrets.length === 0 || text.length < FRAGMENT_CHARS) return text;
  let out = '';
  let copied = 0;
  let i = 0;
  let h = hashOf(text, 0);
  while (true) {
    const starts = filter[slot(h)] === 1 ? pieces.get(text.slice(i, i + FRAGMENT_CHARS)) : undefined;
    if (starts) {
      // The longest run of the secret that starts here, so a whole key becomes one marker.
      let best = FRAGMENT_CHARS;
      let name = (starts[0] as { secret: Secret }).secret.name;
      for (const { secret, at } of starts) {
        let n = FRAGMENT_CHARS;
        while (i + n < text.length && at + n < secret.value.length && text[i + n] === secret.value[at + n]) n++;
        if (n > best) {
          best = n;
          name = secret.name;
        }
      }
      out += `${text.slice(copied, i)}[redacted ${name}]`;
      i += best;
      copied = i;
      if (i + FRAGMENT_CHARS > text.length) break;
      h = hashOf(text, i);
      continue;
    }
    if (i + FRAGMENT_CHARS >= text.length) break;
    h = (Math.imul(h - Math.imul(text.charCodeAt(i), BASE_TOP), BASE) + text.charCodeAt(i + FRAGMENT_CHARS)) | 0;
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * A JSON-able value with every string in it (keys too) redacted; a copy only
 * where something was found, so what is kept in memory matches what was written.
 */
export function redactValue<T>(value: T): T {
  return secrets.length === 0 ? value : (walk(value) as T);
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return redact(v);
  if (Array.isArray(v)) {
    let copy: unknown[] | null = null;
    v.forEach((x, k) => {
      const y = walk(x);
      if (y !== x) (copy ??= [...v])[k] = y;
    });
    return copy ?? v;
  }
  if (v !== null && typeof v === 'object' && isPlain(v)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const rk = redact(k);
      const y = walk(x);
      if (rk !== k || y !== x) changed = true;
      out[rk] = y;
    }
    return changed ? out : v;
  }
  return v;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An error whose message and stack are redacted in place (for errors that are printed as they are). */
export function redactError<E>(e: E): E {
  if (secrets.length === 0 || !(e instanceof Error)) return e;
  e.message = redact(e.message);
  if (e.stack !== undefined) e.stack = redact(e.stack);
  return e;
}

/** Forgets every secret (tests only: a real process never un-reads a key). */
export function clearSecretsForTests(): void {
  secrets.length = 0;
  pieces.clear();
  filter.fill(0);
}
