import { jsonrepair } from 'jsonrepair';

/**
 * How a reply's JSON was obtained: as written, cut out of a fence or of the
 * surrounding prose, or mended by jsonrepair (trailing commas, comments,
 * single quotes, unquoted keys, brackets left open at the end).
 */
export type JsonRecovery = 'as-is' | 'extracted' | 'library';

export type ReplyParse =
  | { readonly ok: true; readonly value: unknown; readonly recovery: JsonRecovery }
  | { readonly ok: false; readonly error: string };

/**
 * Pulls one JSON value out of a model's reply that `accept` takes (a schema
 * check), trying in turn: the whole text, a fenced block, the first balanced
 * {...} or [...] in the prose, then the same pieces (and everything from the
 * first bracket on, for a reply whose brackets are left open) mended by
 * jsonrepair. The first candidate accepted wins; otherwise the error says why
 * the best candidate was refused (a schema error beats "not JSON").
 */
export function parseReply(text: string, accept: (value: unknown) => string | null = () => null): ReplyParse {
  const trimmed = text.trim();
  const pieces: Array<[string, JsonRecovery]> = [[trimmed, 'as-is']];
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)(?:```|$)/.exec(trimmed);
  if (fence?.[1]) pieces.push([fence[1].trim(), 'extracted']);
  const balanced = firstBalanced(trimmed);
  if (balanced) pieces.push([balanced, 'extracted']);
  const start = trimmed.search(/[{[]/);
  const tail = start > 0 ? trimmed.slice(start) : null;

  let parseError = trimmed === '' ? 'the reply is empty' : '';
  let schemaError: string | null = null;
  const tryValue = (value: unknown, recovery: JsonRecovery): ReplyParse | null => {
    const refused = accept(value);
    if (refused === null) return { ok: true, value, recovery };
    schemaError ??= refused;
    return null;
  };
  for (const [piece, recovery] of pieces) {
    if (piece === '') continue;
    try {
      const hit = tryValue(JSON.parse(piece), recovery);
      if (hit) return hit;
    } catch (e) {
      parseError ||= (e as Error).message;
    }
  }
  const mendable = [...pieces.map(([p]) => p), ...(tail ? [tail] : [])];
  for (const piece of new Set(mendable)) {
    if (piece === '' || !/[{[]/.test(piece)) continue;
    let mended: string;
    try {
      mended = jsonrepair(piece);
    } catch {
      continue;
    }
    try {
      const hit = tryValue(JSON.parse(mended), 'library');
      if (hit) return hit;
    } catch {
      // jsonrepair can return text JSON.parse still refuses (e.g. a lone word): not JSON then.
    }
  }
  if (schemaError !== null) return { ok: false, error: `the JSON does not match the schema: ${schemaError}` };
  return { ok: false, error: `the reply is not JSON (${parseError || 'no JSON value found'})` };
}

/** The reply's JSON value without a schema: the first candidate that parses. */
export function extractJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const r = parseReply(text);
  return r.ok ? { ok: true, value: r.value } : r;
}

function firstBalanced(s: string): string | null {
  const start = s.search(/[{[]/);
  if (start < 0) return null;
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  for (let i = start; i < s.length; i++) {
    const c = s[i] as string;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return null;
      if (stack.length === 0) return s.slice(start, i + 1);
    }
  }
  return null;
}
