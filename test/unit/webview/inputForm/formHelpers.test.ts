import { describe, expect, it } from 'vitest';
import { drawnFields } from '../../../../webview/inputForm/drawnFields';
import { placeErrors } from '../../../../webview/inputForm/errorPlacement';
import { parseJson } from '../../../../webview/shared/jsonParseError';
import { inSchemaOrder } from '../../../../webview/inputForm/schemaOrder';
import { getAt, removeAt, setAt, toPointer } from '../../../../webview/inputForm/valuePath';

describe('parseJson', () => {
  it('parses valid JSON', () => {
    expect(parseJson('{"a":[1,2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it.each([
    ['{\n  "a": 1,\n}', 3, 1, 'expected a property name'],
    ['{"a": 1 "b": 2}', 1, 9, 'expected "," or "}"'],
    ['[1, 2', 1, 6, 'unexpected end of the text'],
    ['{"a": tru}', 1, 7, 'expected a value'],
    ['{"a": "x\ny"}', 1, 9, 'control character'],
    ['{"a": 1} x', 1, 10, 'expected the end of the text'],
    ["{'a': 1}", 1, 2, 'double quotes'],
    ['', 1, 1, 'unexpected end of the text'],
  ])('places the error in %j at line %i, column %i', (text, line, column, message) => {
    const result = parseJson(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect({ line: result.line, column: result.column }).toEqual({ line, column });
    expect(result.message).toContain(message);
  });
});

describe('valuePath', () => {
  it('sets without changing the value given, creating objects and arrays on the way, and removes emptied keys', () => {
    const before = { a: { b: 1 } };
    const after = setAt(before, ['a', 'list', 0, 'x'], 'y');
    expect(after).toEqual({ a: { b: 1, list: [{ x: 'y' }] } });
    expect(before).toEqual({ a: { b: 1 } });
    expect(setAt(after, ['a', 'b'], undefined)).toEqual({ a: { list: [{ x: 'y' }] } });
    expect(getAt(after, ['a', 'list', 0, 'x'])).toBe('y');
    expect(removeAt({ l: [1, 2, 3] }, ['l'], 1)).toEqual({ l: [1, 3] });
  });

  it('names paths as the engine\'s validator does', () => {
    expect(toPointer([])).toBe('/');
    expect(toPointer(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
  });
});

describe('placeErrors', () => {
  it('puts each error at its field, else at the nearest drawn field that holds it, else at the top', () => {
    const schema = { type: 'object', properties: { customer: { type: 'object', properties: { email: { type: 'string' } } }, meta: {} } };
    const drawn = drawnFields(schema, {});
    expect([...drawn].sort()).toEqual(['/', '/customer', '/customer/email', '/meta']);

    const placed = placeErrors(
      [
        { path: '/customer/email', message: 'must be string' },
        { path: '/customer/extra', message: 'is not allowed' },
        { path: '/meta/deep/x', message: 'must be number' },
        { path: '/other', message: 'is not allowed' },
        { path: '/', message: 'must be object' },
      ],
      drawn,
    );
    expect(Object.fromEntries(placed)).toEqual({
      '/customer/email': ['must be string'],
      '/customer': ['/extra: is not allowed'],
      '/meta': ['/deep/x: must be number'],
      '/': ['/other: is not allowed', 'must be object'],
    });
  });
});

describe('inSchemaOrder', () => {
  it('orders keys as the schema lists them, nested and in arrays, keeping unlisted keys after them', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'object', properties: { x: {}, y: {} } }, list: { type: 'array', items: { $ref: '#/$defs/item' } } },
      $defs: { item: { type: 'object', properties: { id: {}, name: {} } } },
    };
    const ordered = inSchemaOrder({ extra: 1, list: [{ name: 'n', id: 1 }], b: { y: 2, x: 1 }, a: 'a' }, schema);
    expect(JSON.stringify(ordered)).toBe('{"a":"a","b":{"x":1,"y":2},"list":[{"id":1,"name":"n"}],"extra":1}');
  });
});
