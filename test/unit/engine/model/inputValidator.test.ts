import { describe, expect, it } from 'vitest';
import { acceptAnyInput, createInputValidator } from '../../../../src/engine/model/inputValidator';

describe('createInputValidator', () => {
  const schema = {
    type: 'object',
    properties: { orderId: { type: 'string' }, total: { type: 'number' }, country: { type: 'string', default: 'DE' } },
    required: ['orderId', 'total'],
    additionalProperties: false,
  };

  it('applies defaults to a copy of the input', () => {
    const validate = createInputValidator(schema);
    const input = { orderId: 'A-1', total: 5 };
    const result = validate(input);
    expect(result).toEqual({ ok: true, value: { orderId: 'A-1', total: 5, country: 'DE' }, errors: [] });
    expect(input).toEqual({ orderId: 'A-1', total: 5 });
  });

  it('reports every error with a JSON pointer path', () => {
    const validate = createInputValidator(schema);
    const result = validate({ total: 'much', extra: 1 });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { path: '/orderId', message: 'is required' },
        { path: '/total', message: 'must be number' },
        { path: '/extra', message: 'is not allowed' },
      ]),
    );
  });

  it('treats no input as {}', () => {
    const validate = createInputValidator({ type: 'object', properties: { n: { type: 'number', default: 3 } } });
    expect(validate(undefined).value).toEqual({ n: 3 });
    expect(acceptAnyInput(undefined)).toEqual({ ok: true, value: {}, errors: [] });
    expect(acceptAnyInput(5)).toEqual({ ok: true, value: 5, errors: [] });
  });

  it('ignores a $schema it has no meta-schema for', () => {
    const validate = createInputValidator({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
    expect(validate({}).ok).toBe(true);
  });

  it('throws for a schema ajv cannot compile', () => {
    expect(() => createInputValidator({ type: 'nonsense' })).toThrow();
  });
});
