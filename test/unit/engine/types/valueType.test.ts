import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ANY_JSON,
  arrayOf,
  BOOLEAN,
  closedObject,
  describeType,
  fromJsonSchema,
  fromZodSchema,
  NULL,
  NUMBER,
  readProperty,
  STRING,
  typeOfLiteral,
  UNKNOWN,
  unionOf,
} from '../../../../src/engine/types/valueType';
import type { ValueType } from '../../../../src/engine/types/valueType';

function keysOf(type: ValueType): string[] {
  return type.kind === 'object' ? [...type.props.keys()] : [];
}

describe('fromJsonSchema', () => {
  it('reads scalars, integer as number, type lists and nullable', () => {
    expect(fromJsonSchema({ type: 'string' })).toBe(STRING);
    expect(fromJsonSchema({ type: 'integer' })).toBe(NUMBER);
    expect(describeType(fromJsonSchema({ type: ['string', 'null'] }))).toBe('string | null');
    expect(describeType(fromJsonSchema({ type: 'number', nullable: true }))).toBe('number | null');
  });

  it('closes an object with declared properties unless additionalProperties opens it', () => {
    const closed = fromJsonSchema({ type: 'object', properties: { a: { type: 'number' } } });
    expect(readProperty(closed, 'a')).toEqual({ found: true, type: NUMBER });
    expect(readProperty(closed, 'b')).toEqual({ found: false, known: ['a'] });

    const open = fromJsonSchema({ type: 'object', properties: { a: { type: 'number' } }, additionalProperties: true });
    expect(readProperty(open, 'b')).toEqual({ found: true, type: UNKNOWN });

    const record = fromJsonSchema({ type: 'object', additionalProperties: { type: 'string' } });
    expect(readProperty(record, 'anything')).toEqual({ found: true, type: STRING });

    // No properties at all: nothing is known of the keys.
    expect(readProperty(fromJsonSchema({ type: 'object' }), 'x').found).toBe(true);
  });

  it('follows local $refs, enums, const, anyOf and allOf', () => {
    const schema = {
      type: 'object',
      properties: { customer: { $ref: '#/$defs/customer' }, tier: { enum: ['free', 'pro'] }, kind: { const: 1 } },
      $defs: { customer: { type: 'object', properties: { email: { type: 'string' } }, additionalProperties: false } },
    };
    const type = fromJsonSchema(schema);
    const customer = readProperty(type, 'customer');
    expect(customer.found && keysOf(customer.type)).toEqual(['email']);
    expect(readProperty(type, 'tier')).toEqual({ found: true, type: STRING });
    expect(readProperty(type, 'kind')).toEqual({ found: true, type: NUMBER });
    expect(describeType(fromJsonSchema({ anyOf: [{ type: 'string' }, { type: 'number' }] }))).toBe('string | number');
    const both = fromJsonSchema({ allOf: [{ type: 'object', properties: { a: {} } }, { type: 'object', properties: { b: {} } }] });
    expect(keysOf(both)).toEqual(['a', 'b']);
  });

  it('gives unknown for what it does not understand, and any JSON for an empty schema', () => {
    expect(fromJsonSchema({ $ref: 'https://example.com/s.json' })).toBe(UNKNOWN);
    expect(fromJsonSchema('nonsense')).toBe(UNKNOWN);
    expect(fromJsonSchema({})).toBe(ANY_JSON);
    // A self-reference ends instead of recursing forever.
    expect(() => fromJsonSchema({ type: 'object', properties: { self: { $ref: '#' } } })).not.toThrow();
  });
});

describe('fromZodSchema', () => {
  it('reads an output schema through JSON Schema', () => {
    const type = fromZodSchema(z.object({ id: z.string(), tags: z.array(z.string()), meta: z.record(z.string(), z.number()) }));
    expect(keysOf(type)).toEqual(['id', 'tags', 'meta']);
    expect(readProperty(type, 'nope').found).toBe(false);
    const tags = readProperty(type, 'tags');
    expect(tags.found && tags.type).toEqual(arrayOf(STRING));
  });
});

describe('readProperty', () => {
  it('reads arrays and strings as the run-time path reader does: indexes and length only', () => {
    expect(readProperty(arrayOf(NUMBER), 0)).toEqual({ found: true, type: NUMBER });
    expect(readProperty(arrayOf(NUMBER), 'length')).toEqual({ found: true, type: NUMBER });
    expect(readProperty(arrayOf(NUMBER), 'name').found).toBe(false);
    expect(readProperty(STRING, 'length')).toEqual({ found: true, type: NUMBER });
    expect(readProperty(NUMBER, 'x').found).toBe(false);
  });

  it('finds a property on a union when any member has it; null members read undefined silently', () => {
    const union = unionOf([closedObject({ a: NUMBER }), closedObject({ b: STRING }), NULL]);
    expect(readProperty(union, 'a')).toEqual({ found: true, type: NUMBER });
    expect(readProperty(union, 'c')).toEqual({ found: false, known: ['a', 'b'] });
    expect(readProperty(NULL, 'x').found).toBe(true);
  });

  it('is silent on unknown and any JSON', () => {
    expect(readProperty(UNKNOWN, 'x')).toEqual({ found: true, type: UNKNOWN });
    expect(readProperty(ANY_JSON, 'x')).toEqual({ found: true, type: ANY_JSON });
  });
});

describe('unionOf', () => {
  it('flattens, drops repeated scalars, and is absorbed by unknown', () => {
    expect(unionOf([STRING, unionOf([STRING, NUMBER])])).toEqual({ kind: 'union', members: [STRING, NUMBER] });
    expect(unionOf([STRING, UNKNOWN])).toBe(UNKNOWN);
    expect(unionOf([BOOLEAN])).toBe(BOOLEAN);
  });
});

describe('typeOfLiteral (property)', () => {
  // Every path that exists in a JSON value is readable in the value's type: the literal type never refuses a real read.
  it('accepts every key a value really has', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const walk = (v: unknown, type: ValueType): void => {
          if (typeof v !== 'object' || v === null) return;
          const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((e, i) => [i, e]) : Object.entries(v);
          for (const [key, child] of entries) {
            const read = readProperty(type, key);
            expect(read.found).toBe(true);
            if (read.found) walk(child, read.type);
          }
        };
        walk(value, typeOfLiteral(value));
      }),
      { numRuns: 200 },
    );
  });
});
