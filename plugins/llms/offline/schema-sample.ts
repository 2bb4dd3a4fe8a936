import type { Rng, JsonSchema } from '../../../harness/plugin-api.js';

const WORDS = ['plot', 'tone', 'pace', 'cast', 'style', 'theme', 'mood', 'story', 'setting', 'genre'];

/**
 * A value that satisfies the JSON Schema subset used by structured prompts
 * (object, array, enum, const, string, number, integer, boolean, anyOf/oneOf),
 * drawn from `rng`. It never looks at anything but the schema.
 */
export function sampleFromSchema(schema: JsonSchema, rng: Rng, depth = 0): unknown {
  if (depth > 12) throw new Error('offline LLM: schema nested too deeply to sample');
  if ('const' in schema) return schema['const'];
  const enumValues = schema['enum'];
  if (Array.isArray(enumValues) && enumValues.length > 0) return rng.pick(enumValues);
  const alternatives = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0)
    return sampleFromSchema(rng.pick(alternatives), rng, depth + 1);
  let type = schema['type'];
  if (Array.isArray(type)) type = type.filter((t) => t !== 'null')[0] ?? 'null';
  switch (type) {
    case 'object': {
      const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      const out: Record<string, unknown> = {};
      for (const [k, sub] of Object.entries(props)) out[k] = sampleFromSchema(sub, rng, depth + 1);
      return out;
    }
    case 'array': {
      const min = Number(schema['minItems'] ?? 1);
      const max = Number(schema['maxItems'] ?? Math.max(min, 3));
      const n = min + rng.int(max - min + 1);
      const items = (schema['items'] ?? {}) as JsonSchema;
      return Array.from({ length: n }, () => sampleFromSchema(items, rng, depth + 1));
    }
    case 'boolean':
      return rng.next() < 0.5;
    case 'integer': {
      const lo = Math.ceil(Number(schema['minimum'] ?? 0));
      const hi = Math.floor(Number(schema['maximum'] ?? lo + 10));
      return lo + rng.int(hi - lo + 1);
    }
    case 'number': {
      const lo = Number(schema['minimum'] ?? 0);
      const hi = Number(schema['maximum'] ?? lo + 1);
      return Math.round((lo + rng.next() * (hi - lo)) * 1000) / 1000;
    }
    case 'string': {
      const minLength = Number(schema['minLength'] ?? 0);
      let s = `offline mock: ${rng.pick(WORDS)} ${rng.pick(WORDS)}`;
      while (s.length < minLength) s += ` ${rng.pick(WORDS)}`;
      const maxLength = schema['maxLength'];
      return typeof maxLength === 'number' ? s.slice(0, maxLength) : s;
    }
    case 'null':
      return null;
    default:
      return null;
  }
}
