/**
 * Pulls one JSON value out of a model's reply: the whole text, else a fenced
 * block, else the first balanced {...} or [...] in the surrounding prose.
 */
export function extractJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = text.trim();
  const attempts: string[] = [trimmed];
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(trimmed);
  if (fence?.[1]) attempts.push(fence[1].trim());
  const balanced = firstBalanced(trimmed);
  if (balanced) attempts.push(balanced);
  let lastError = 'the reply is empty';
  for (const a of attempts) {
    if (a === '') continue;
    try {
      return { ok: true, value: JSON.parse(a) };
    } catch (e) {
      lastError = (e as Error).message;
    }
  }
  return { ok: false, error: `the reply is not JSON (${lastError})` };
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
