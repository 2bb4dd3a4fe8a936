/**
 * Make a JSON value that satisfies a JSON Schema (what a well-behaved model
 * returns for structured output), and one that does not (the schemaInvalid
 * fault).
 *
 * Supported: type (also as a list), object/properties/required/
 * additionalProperties, array items (schema or tuple)/minItems/maxItems/
 * uniqueItems, enum, const, boolean, null, integer/number with
 * minimum/maximum/exclusive bounds/multipleOf, string with minLength/maxLength/
 * common formats (and pattern on a best-effort basis), anyOf/oneOf (first
 * branch), allOf (merged), local $ref (#/$defs/..., #/definitions/...).
 * Anything else is ignored, which is fine for the schemas replies use.
 */

export type JsonSchema = Readonly<Record<string, unknown>>;

type Rng = () => number;

const WORDS = [
  'liked',
  'pacing',
  'story',
  'characters',
  'ending',
  'price',
  'quality',
  'sound',
  'plot',
  'value',
  'recommend',
  'again',
  'mixed',
  'solid',
  'slow',
  'bright',
  'fresh',
  'classic',
  'quiet',
  'bold',
];

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Follow a local `$ref` ("#/$defs/Name"). Remote refs are out of scope for replies. */
function deref(schema: JsonSchema, root: JsonSchema, depth = 0): JsonSchema {
  const ref = schema['$ref'];
  if (typeof ref !== 'string' || depth > 32) return schema;
  if (!ref.startsWith('#')) throw new Error(`schema-reply: only local $ref is supported, got ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObj(node) ? node[key] : undefined;
  }
  if (!isObj(node)) throw new Error(`schema-reply: unresolved $ref ${ref}`);
  const { $ref: _ignored, ...rest } = schema;
  return deref({ ...node, ...rest }, root, depth + 1);
}

/** allOf → one schema (shallow merge of properties/required); good enough for generated schemas. */
function flatten(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = deref(schema, root);
  const all = s['allOf'];
  if (Array.isArray(all)) {
    const merged: Record<string, unknown> = { ...s };
    delete merged['allOf'];
    for (const part of all) {
      if (!isObj(part)) continue;
      const p = flatten(part, root);
      for (const [k, v] of Object.entries(p)) {
        if (k === 'properties' && isObj(merged['properties']) && isObj(v))
          merged['properties'] = { ...merged['properties'], ...v };
        else if (k === 'required' && Array.isArray(merged['required']) && Array.isArray(v))
          merged['required'] = [...new Set([...(merged['required'] as unknown[]), ...v])];
        else if (!(k in merged)) merged[k] = v;
      }
    }
    s = merged;
  }
  return s;
}

function pickType(schema: JsonSchema): string {
  const t = schema['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const nonNull = t.find((x) => x !== 'null');
    return typeof nonNull === 'string' ? nonNull : 'null';
  }
  if (isObj(schema['properties']) || Array.isArray(schema['required'])) return 'object';
  if (schema['items'] !== undefined || schema['prefixItems'] !== undefined) return 'array';
  if (typeof schema['minimum'] === 'number' || typeof schema['maximum'] === 'number') return 'number';
  return 'string';
}

function sampleString(schema: JsonSchema, rng: Rng): string {
  const format = schema['format'];
  const fixed: Record<string, string> = {
    'date-time': '2025-01-15T12:00:00Z',
    date: '2025-01-15',
    time: '12:00:00Z',
    email: 'user@example.com',
    uri: 'https://example.com/item',
    url: 'https://example.com/item',
    hostname: 'example.com',
    ipv4: '192.0.2.1',
    uuid: '123e4567-e89b-42d3-a456-426614174000',
  };
  let s =
    typeof format === 'string' && fixed[format] !== undefined
      ? fixed[format]!
      : `${WORDS[Math.floor(rng() * WORDS.length)]} ${WORDS[Math.floor(rng() * WORDS.length)]}`;
  const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
  while (s.length < min) s += ' ' + WORDS[Math.floor(rng() * WORDS.length)];
  if (s.length > max) s = s.slice(0, max);
  const pattern = schema['pattern'];
  if (typeof pattern === 'string') {
    // Best effort: try a few shapes that common patterns accept.
    const re = new RegExp(pattern, 'u');
    if (!re.test(s)) {
      const candidates = ['a', 'abc', 'A1', '1', '123', 'item_1', 'item-1', 'x@y.z', 'ABC'];
      const hit = candidates.find((c) => re.test(c) && c.length >= min && c.length <= max);
      if (hit !== undefined) s = hit;
    }
  }
  return s;
}

function sampleNumber(schema: JsonSchema, integer: boolean, rng: Rng): number {
  const num = (k: string): number | undefined => (typeof schema[k] === 'number' ? (schema[k] as number) : undefined);
  // Draft-04 style boolean exclusiveMinimum/Maximum as well as the numeric form.
  const exMin =
    typeof schema['exclusiveMinimum'] === 'number'
      ? (schema['exclusiveMinimum'] as number)
      : schema['exclusiveMinimum'] === true
        ? num('minimum')
        : undefined;
  const exMax =
    typeof schema['exclusiveMaximum'] === 'number'
      ? (schema['exclusiveMaximum'] as number)
      : schema['exclusiveMaximum'] === true
        ? num('maximum')
        : undefined;
  const incMin = schema['exclusiveMinimum'] === true ? undefined : num('minimum');
  const incMax = schema['exclusiveMaximum'] === true ? undefined : num('maximum');
  const step = num('multipleOf');
  if (integer || step !== undefined) {
    const unit = step ?? 1;
    let lo =
      incMin !== undefined ? Math.ceil(incMin / unit) : exMin !== undefined ? Math.floor(exMin / unit) + 1 : undefined;
    let hi =
      incMax !== undefined ? Math.floor(incMax / unit) : exMax !== undefined ? Math.ceil(exMax / unit) - 1 : undefined;
    if (integer && unit !== 1 && !Number.isInteger(unit)) {
      // multipleOf a fraction on an integer: fall back to plain integers in range.
      lo = lo === undefined ? undefined : Math.ceil(lo * unit);
      hi = hi === undefined ? undefined : Math.floor(hi * unit);
      lo ??= (hi ?? 10) - 10;
      hi ??= lo + 10;
      return lo + Math.floor(rng() * (hi - lo + 1));
    }
    lo ??= (hi ?? 10) - 10;
    hi ??= lo + 10;
    const k = lo + Math.floor(rng() * (hi - lo + 1));
    return Number((k * unit).toFixed(10));
  }
  const lo = incMin ?? exMin ?? ((incMax ?? exMax) !== undefined ? (incMax ?? exMax)! - 10 : 0);
  const hi = incMax ?? exMax ?? lo + 10;
  let v = Math.round((lo + (hi - lo) * (0.1 + 0.8 * rng())) * 1000) / 1000;
  if (v < lo || v > hi || (exMin !== undefined && v <= exMin) || (exMax !== undefined && v >= exMax)) v = (lo + hi) / 2;
  return v;
}

/** A value that satisfies `schema`. Deterministic for a given rng sequence. */
export function sampleSchema(schema: JsonSchema | boolean, rng: Rng, root?: JsonSchema, depth = 0): unknown {
  if (schema === true || schema === false) return 'x';
  const rootSchema = root ?? schema;
  const s = flatten(schema, rootSchema);
  if ('const' in s) return s['const'];
  const en = s['enum'];
  if (Array.isArray(en) && en.length > 0) return en[Math.floor(rng() * en.length)];
  const branches = (s['anyOf'] ?? s['oneOf']) as unknown;
  if (Array.isArray(branches) && branches.length > 0) {
    // Prefer a non-null branch: a nullable field that is always null tests nothing.
    const pick = branches.find((b) => !(isObj(b) && b['type'] === 'null')) ?? branches[0];
    return sampleSchema(pick as JsonSchema, rng, rootSchema, depth + 1);
  }
  switch (pickType(s)) {
    case 'null':
      return null;
    case 'boolean':
      return rng() < 0.5;
    case 'integer':
      return sampleNumber(s, true, rng);
    case 'number':
      return sampleNumber(s, false, rng);
    case 'array':
      return sampleArray(s, rng, rootSchema, depth);
    case 'object':
      return sampleObject(s, rng, rootSchema, depth);
    default:
      return sampleString(s, rng);
  }
}

function sampleObject(s: JsonSchema, rng: Rng, root: JsonSchema, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = isObj(s['properties']) ? s['properties'] : {};
  // All declared properties, not only the required ones: a reply that always
  // omits optional fields would hide bugs in code that reads them.
  for (const [k, sub] of Object.entries(props)) out[k] = sampleSchema(sub as JsonSchema, rng, root, depth + 1);
  const required = Array.isArray(s['required']) ? (s['required'] as unknown[]) : [];
  const extra = s['additionalProperties'];
  for (const k of required) {
    if (typeof k === 'string' && !(k in out))
      out[k] = isObj(extra) ? sampleSchema(extra, rng, root, depth + 1) : sampleString({}, rng);
  }
  return out;
}

function sampleArray(s: JsonSchema, rng: Rng, root: JsonSchema, depth: number): unknown[] {
  const tuple = Array.isArray(s['prefixItems'])
    ? (s['prefixItems'] as JsonSchema[])
    : Array.isArray(s['items'])
      ? (s['items'] as JsonSchema[])
      : undefined;
  const itemSchema = tuple
    ? isObj(s['additionalItems'])
      ? s['additionalItems']
      : isObj(s['items'])
        ? s['items']
        : {}
    : isObj(s['items'])
      ? s['items']
      : {};
  const min = typeof s['minItems'] === 'number' ? s['minItems'] : 0;
  const maxDeclared = typeof s['maxItems'] === 'number' ? s['maxItems'] : Infinity;
  // Keep arrays short (deep schemas would otherwise explode) but inside the bounds.
  const hi = Math.min(maxDeclared, Math.max(min, depth > 3 ? min : 3));
  const lo = Math.min(Math.max(min, tuple ? tuple.length : 1), hi);
  const n = lo + Math.floor(rng() * (hi - lo + 1));
  const out: unknown[] = [];
  const seen = new Set<string>();
  const unique = s['uniqueItems'] === true;
  let attempts = 0;
  while (out.length < n && attempts < n * 20) {
    attempts++;
    const i = out.length;
    const sub = tuple && i < tuple.length ? tuple[i]! : (itemSchema as JsonSchema);
    const v = sampleSchema(sub, rng, root, depth + 1);
    if (unique) {
      const key = JSON.stringify(v);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(v);
  }
  return out;
}

/** A JSON value of the wrong type for `schema` (used to break one field). */
function wrongTypeFor(schema: JsonSchema, root: JsonSchema): unknown {
  const s = flatten(schema, root);
  if ('const' in s || Array.isArray(s['enum'])) return '__not_an_allowed_value__';
  const t = s['type'];
  const types = new Set(typeof t === 'string' ? [t] : Array.isArray(t) ? (t as string[]) : [pickType(s)]);
  if (!types.has('string')) return 'not a ' + [...types].join('/');
  if (!types.has('object')) return { unexpected: true };
  if (!types.has('integer') && !types.has('number')) return 42;
  return [];
}

/**
 * A value that violates `schema`, made from a valid `value`: drop a required
 * key, else give the first property the wrong type, else add an unknown key
 * (additionalProperties: false), else return the wrong type altogether.
 * A schema that accepts anything ({}) cannot be violated: the value comes back
 * unchanged.
 */
export function violateSchema(schema: JsonSchema, value: unknown): unknown {
  const s = flatten(schema, schema);
  if (pickType(s) === 'object' && isObj(value)) {
    const required = Array.isArray(s['required'])
      ? (s['required'] as unknown[]).filter((k): k is string => typeof k === 'string')
      : [];
    if (required.length > 0) {
      const { [required[0]!]: _dropped, ...rest } = value;
      return rest;
    }
    const props = isObj(s['properties']) ? Object.entries(s['properties']) : [];
    if (props.length > 0) {
      const [k, sub] = props[0]!;
      return { ...value, [k]: wrongTypeFor(sub as JsonSchema, s) };
    }
    if (s['additionalProperties'] === false) return { ...value, __unexpected__: true };
  }
  if (Object.keys(s).length === 0) return value;
  return wrongTypeFor(s, s);
}
