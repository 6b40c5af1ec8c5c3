import { describe, expect, it } from 'vitest';
import { createInputValidator } from '../../../src/engine/model/inputValidator';
import { defaultsOf, sampleOf } from '../../../src/shared/schemaSample';

const ORDER = {
  type: 'object',
  $defs: { address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$', examples: ['10115'] } }, required: ['city'] } },
  properties: {
    orderId: { type: 'string', minLength: 6 },
    total: { type: 'number', exclusiveMinimum: 0 },
    quantity: { type: 'integer', minimum: 1, multipleOf: 5 },
    status: { enum: ['new', 'paid'] },
    country: { type: 'string', default: 'DE' },
    contact: { type: 'string', format: 'email' },
    due: { type: 'string', format: 'date' },
    shipTo: { $ref: '#/$defs/address' },
    lines: { type: 'array', minItems: 2, items: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } },
    note: { type: ['string', 'null'] },
    either: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
  },
  required: ['orderId', 'total', 'shipTo'],
};

describe('sampleOf', () => {
  it('makes an input the engine accepts, with examples, defaults, enums, formats and bounds respected', () => {
    const sample = sampleOf(ORDER) as Record<string, unknown>;

    expect(createInputValidator(ORDER)(sample).errors).toEqual([]);
    expect(sample).toMatchObject({
      orderId: 'textxx',
      total: 0.5,
      quantity: 5,
      status: 'new',
      country: 'DE',
      contact: 'someone@example.com',
      due: '2025-01-31',
      shipTo: { city: 'text', zip: '10115' },
      note: 'text',
      either: 0,
    });
    expect(sample.lines).toEqual([{ sku: 'text' }, { sku: 'text' }]);
  });

  it('ends on a schema that refers to itself', () => {
    const tree = { $ref: '#/$defs/node', $defs: { node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['children'] } } };
    expect(JSON.stringify(sampleOf(tree)).length).toBeLessThan(1000);
  });
});

describe('defaultsOf', () => {
  it('takes only the defaults, nested, and invents nothing', () => {
    const schema = {
      type: 'object',
      properties: {
        orderId: { type: 'string' },
        country: { type: 'string', default: 'DE' },
        options: { type: 'object', properties: { gift: { type: 'boolean', default: false }, note: { type: 'string' } } },
        empty: { type: 'object', properties: { x: { type: 'string' } } },
      },
    };
    expect(defaultsOf(schema)).toEqual({ country: 'DE', options: { gift: false } });
  });

  it('is an empty object for an object schema without defaults, and a copy of the default otherwise', () => {
    expect(defaultsOf({ type: 'object', properties: { a: { type: 'string' } } })).toEqual({});
    const list = ['a'];
    const defaults = defaultsOf({ type: 'array', default: list });
    expect(defaults).toEqual(['a']);
    expect(defaults).not.toBe(list);
  });
});
