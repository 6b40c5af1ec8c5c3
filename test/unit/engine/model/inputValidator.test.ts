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

  it('matches a catastrophic pattern against a long input with RE2, and gets the answer right', () => {
    // ARRANGE: backtracking would take 2^50000 steps on this input (a test that hangs until vitest kills it)
    const validate = createInputValidator({ type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } });
    // ACT
    const refused = validate({ s: `${'a'.repeat(50_000)}!` });
    const accepted = validate({ s: 'a'.repeat(50_000) });
    // ASSERT
    expect(refused.ok).toBe(false);
    expect(refused.errors).toEqual([{ path: '/s', message: 'must match pattern "^(a+)+$"' }]);
    expect(accepted.ok).toBe(true);
  });

  it('matches patternProperties with RE2 too, unanchored as JSON Schema says', () => {
    // ARRANGE
    const validate = createInputValidator({ type: 'object', patternProperties: { '^x-': { type: 'number' } } });
    // ACT + ASSERT
    expect(validate({ 'x-a': 1, other: 'free' }).ok).toBe(true);
    expect(validate({ 'x-a': 'one' }).errors).toEqual([{ path: '/x-a', message: 'must be number' }]);
    expect(createInputValidator({ type: 'string', pattern: 'b' })('abc').ok).toBe(true);
  });

  it('matches each pattern as written, in one schema and across schemas', () => {
    // ARRANGE: two patterns in one schema, and a second schema whose pattern differs from the first's.
    const both = createInputValidator({ type: 'object', properties: { a: { type: 'string', pattern: '^a' }, b: { type: 'string', pattern: '^b' } } });
    const other = createInputValidator({ type: 'object', patternProperties: { '^y-': { type: 'number' } } });
    // ACT + ASSERT
    expect(both({ a: 'apple', b: 'banana' }).ok).toBe(true);
    expect(both({ a: 'apple', b: 'cherry' }).errors).toEqual([{ path: '/b', message: 'must match pattern "^b"' }]);
    expect(other({ 'y-a': 'one' }).errors).toEqual([{ path: '/y-a', message: 'must be number' }]);
  });

  it('refuses at compile time a pattern RE2 cannot run (backreference, lookahead), saying why', () => {
    expect(() => createInputValidator({ type: 'string', pattern: '^(a)\\1$' })).toThrow(/pattern "\^\(a\)\\1\$" cannot be matched in linear time.*RE2/);
    expect(() => createInputValidator({ type: 'string', pattern: 'a(?=b)' })).toThrow(/no backreferences or lookaround/);
  });

  it('accepts the \\uXXXX escapes JSON Schema patterns use, which RE2 spells otherwise', () => {
    const validate = createInputValidator({ type: 'string', pattern: '^caf\\u00e9$' });
    expect(validate('café').ok).toBe(true);
    expect(validate('cafe').ok).toBe(false);
  });
});
