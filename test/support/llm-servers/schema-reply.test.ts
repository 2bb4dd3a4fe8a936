import { describe, expect, it } from 'vitest';
import { createReplyAjv } from '../../../harness/util/ajv.js';
import { scriptedReply } from './content.js';
import { FaultPlan, mulberry32, times } from './faults.js';
import { sampleSchema, violateSchema, type JsonSchema } from './schema-reply.js';

// The validator the harness itself uses for replies (formats included).
const ajv = createReplyAjv();

const SCHEMAS: Record<string, JsonSchema> = {
  flat: {
    type: 'object',
    additionalProperties: false,
    required: ['a', 'b', 'c'],
    properties: {
      a: { type: 'integer', minimum: 3, maximum: 4 },
      b: { type: 'boolean' },
      c: { type: 'string', minLength: 20, maxLength: 25 },
    },
  },
  numbers: {
    type: 'object',
    required: ['p', 'q', 'r', 's'],
    properties: {
      p: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.001 },
      q: { type: 'integer', multipleOf: 5, minimum: 11, maximum: 29 },
      r: { type: 'number', minimum: -3 },
      s: { type: 'integer', maximum: -100 },
    },
  },
  arrays: {
    type: 'object',
    required: ['exact', 'empty', 'tuple', 'uniq'],
    properties: {
      exact: { type: 'array', minItems: 5, maxItems: 5, items: { enum: [1, 2, 3] } },
      empty: { type: 'array', maxItems: 0 },
      tuple: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], minItems: 2 },
      uniq: { type: 'array', uniqueItems: true, minItems: 2, items: { type: 'string', enum: ['x', 'y', 'z'] } },
    },
  },
  refsAndUnions: {
    $defs: {
      Item: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: { id: { type: 'string', format: 'uuid' } },
      },
    },
    type: 'object',
    required: ['items', 'maybe', 'kind', 'when', 'merged'],
    properties: {
      items: { type: 'array', minItems: 1, items: { $ref: '#/$defs/Item' } },
      maybe: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 7, maximum: 7 }] },
      kind: { const: 'fixed' },
      when: { type: 'string', format: 'date-time' },
      merged: {
        allOf: [
          { type: 'object', required: ['x'], properties: { x: { type: 'number' } } },
          { required: ['y'], properties: { y: { type: 'boolean' } } },
        ],
      },
    },
  },
  nullableType: {
    type: 'object',
    required: ['n'],
    properties: { n: { type: ['null', 'string'], pattern: '^[a-z]+$' } },
  },
  topArray: {
    type: 'array',
    minItems: 1,
    maxItems: 2,
    items: { type: 'object', required: ['k'], properties: { k: { enum: ['only'] } } },
  },
  topString: { type: 'string', enum: ['yes', 'no'] },
};

describe('schema-reply', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`samples values that satisfy "${name}" for many seeds, and violates it`, () => {
      const validate = ajv.compile(schema);
      for (let seed = 1; seed <= 60; seed++) {
        const v = sampleSchema(schema, mulberry32(seed));
        expect(validate(v), `${name} seed ${seed}: ${JSON.stringify(v)} ${JSON.stringify(validate.errors)}`).toBe(true);
        expect(validate(violateSchema(schema, v)), `${name} seed ${seed}: violation still valid`).toBe(false);
      }
    });
  }

  it('is deterministic for a seed', () => {
    expect(sampleSchema(SCHEMAS['flat']!, mulberry32(5))).toEqual(sampleSchema(SCHEMAS['flat']!, mulberry32(5)));
  });

  it('cannot violate a schema that accepts anything, and says so by returning the value', () => {
    expect(violateSchema({}, 'x')).toBe('x');
  });
});

describe('REPLY_JSON scripting', () => {
  it('picks the line for the current assistant turn and ignores assistant messages', () => {
    const user = { role: 'user', content: 'Hi\n  REPLY_JSON: {"a":1}  \nREPLY_JSON: {"a":2}' };
    expect(scriptedReply([user])).toBe('{"a":1}');
    expect(
      scriptedReply([user, { role: 'assistant', content: 'REPLY_JSON: nope' }, { role: 'user', content: 'again' }]),
    ).toBe('{"a":2}');
    expect(
      scriptedReply([
        user,
        { role: 'assistant', content: '' },
        { role: 'user', content: '' },
        { role: 'assistant', content: '' },
      ]),
    ).toBe('{"a":2}');
    expect(
      scriptedReply([{ role: 'user', content: 'no script; REPLY_JSON: mid-line does not count' }]),
    ).toBeUndefined();
  });
});

describe('FaultPlan', () => {
  it('runs the script first, then the seeded probabilities', () => {
    const plan = new FaultPlan({ script: [...times('rateLimit', 2), 'none'], serverError: 1 }, 3);
    expect([plan.next(), plan.next(), plan.next(), plan.next()]).toEqual([
      'rateLimit',
      'rateLimit',
      null,
      'serverError',
    ]);
    plan.restart();
    expect(plan.next()).toBe('rateLimit');
  });

  it('hits each kind at roughly its probability and repeats the sequence for the same seed', () => {
    const draw = (seed: number) => {
      const plan = new FaultPlan({ timeout: 0.1, reset: 0.2 }, seed);
      return Array.from({ length: 2000 }, () => plan.next());
    };
    const a = draw(11);
    expect(draw(11)).toEqual(a);
    expect(draw(12)).not.toEqual(a);
    const share = (k: string) => a.filter((x) => x === k).length / a.length;
    expect(share('timeout')).toBeGreaterThan(0.07);
    expect(share('timeout')).toBeLessThan(0.13);
    expect(share('reset')).toBeGreaterThan(0.16);
    expect(share('reset')).toBeLessThan(0.24);
  });

  it('only hits inference routes unless scope is all', () => {
    expect(new FaultPlan({ serverError: 1 }, 1).appliesTo(false)).toBe(false);
    expect(new FaultPlan({ serverError: 1, scope: 'all' }, 1).appliesTo(false)).toBe(true);
    expect(() => new FaultPlan({ script: ['oops' as 'reset'] }, 1)).toThrow(/unknown fault/);
  });
});
