import { describe, expect, it } from 'vitest';
import { FUNCTION_DOCS, FunctionArgumentError, getFunction } from '../../../../src/engine/expr/functions';

/** Every built-in function, as completion and hover list them. */
const FUNCTION_NAMES = Object.keys(FUNCTION_DOCS);

function call(name: string, ...args: unknown[]): unknown {
  const fn = getFunction(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
}

describe('built-in functions', () => {
  it('lists every function of the spec, each with a signature and a doc', () => {
    // ARRANGE
    const spec = ['contains', 'startsWith', 'endsWith', 'lower', 'upper', 'trim', 'len', 'keys', 'values', 'sum', 'min', 'max', 'round', 'number', 'string', 'json', 'join', 'now', 'default'];

    // ASSERT
    expect([...FUNCTION_NAMES].sort()).toEqual([...spec].sort());
    for (const name of spec) {
      expect(FUNCTION_DOCS[name].signature.startsWith(`${name}(`)).toBe(true);
      expect(FUNCTION_DOCS[name].doc.length).toBeGreaterThan(10);
    }
  });

  it('knows no function by an inherited name', () => {
    expect(getFunction('constructor')).toBeUndefined();
    expect(getFunction('toString')).toBeUndefined();
    expect(getFunction('__proto__')).toBeUndefined();
  });

  it.each<[unknown, unknown, boolean]>([
    [['a', 'b'], 'b', true],
    [['a', 'b'], 'c', false],
    [[1, 2], '1', false],
    [[{ id: 1 }], { id: 1 }, true],
    [[[1, 2]], [1, 2], true],
    [[{ id: 1 }], { id: 2 }, false],
    ['Head of Engineering', 'Eng', true],
    ['abc', 'x', false],
    ['a1', 1, true],
    [{ key: 1 }, 'key', true],
    [{ key: 1 }, 'toString', false],
    [null, 'a', false],
    [42, 4, false],
  ])('contains(%j, %j) is %s', (container, needle, expected) => {
    expect(call('contains', container, needle)).toBe(expected);
  });

  it('tests prefixes and suffixes of text only', () => {
    expect(call('startsWith', 'invoice-1', 'invoice')).toBe(true);
    expect(call('startsWith', 'invoice-1', '1')).toBe(false);
    expect(call('endsWith', 'invoice-1', '-1')).toBe(true);
    expect(call('startsWith', undefined, 'a')).toBe(false);
    expect(call('endsWith', ['a'], 'a')).toBe(false);
  });

  it('changes case and trims text, and gives undefined for non-text', () => {
    expect(call('lower', 'HeLLo')).toBe('hello');
    expect(call('upper', 'HeLLo')).toBe('HELLO');
    expect(call('trim', '  x \n')).toBe('x');
    expect(call('lower', 12)).toBe('12');
    expect(call('lower', undefined)).toBeUndefined();
    expect(call('upper', { a: 1 })).toBeUndefined();
  });

  it('measures strings, arrays and objects', () => {
    expect(call('len', 'abc')).toBe(3);
    expect(call('len', [1, 2])).toBe(2);
    expect(call('len', { a: 1, b: 2 })).toBe(2);
    expect(call('len', 5)).toBeUndefined();
    expect(call('len', null)).toBeUndefined();
  });

  it('lists keys and values', () => {
    expect(call('keys', { a: 1, b: 2 })).toEqual(['a', 'b']);
    expect(call('values', { a: 1, b: 2 })).toEqual([1, 2]);
    expect(call('keys', ['x', 'y'])).toEqual([0, 1]);
    expect(call('values', 'abc')).toBeUndefined();
  });

  it('sums, and takes the smallest and largest', () => {
    expect(call('sum', [1, 2, 3.5])).toBe(6.5);
    expect(call('sum', [])).toBe(0);
    expect(call('sum', ['2', 3])).toBe(5);
    expect(() => call('sum', [1, 'x'])).toThrow(new FunctionArgumentError('needs a number as item 1, not a string with no number'));
    expect(() => call('sum', 'nope')).toThrow(FunctionArgumentError);
    expect(call('min', [3, 1, 2])).toBe(1);
    expect(call('max', [3, 1, 2])).toBe(3);
    expect(call('max', 0, -5)).toBe(0);
    expect(call('min', [])).toBeUndefined();
    expect(() => call('max', [1, null])).toThrow(new FunctionArgumentError('needs a number as item 1, not null'));
  });

  it.each<[unknown, unknown, unknown]>([
    [2.5, undefined, 3],
    [-2.5, undefined, -3],
    [1.005, 2, 1.01],
    [2.345, 2, 2.35],
    [19.000000000000004, 2, 19],
    [1234, -2, 1200],
    ['3.7', undefined, 4],
    [Infinity, 2, Infinity],
  ])('round(%j, %j) is %j', (x, digits, expected) => {
    expect(digits === undefined ? call('round', x) : call('round', x, digits)).toBe(expected);
  });

  it('converts to numbers and text', () => {
    expect(call('number', '42')).toBe(42);
    expect(call('number', ' 1.5 ')).toBe(1.5);
    expect(call('number', 'abc')).toBeUndefined();
    expect(call('number', '')).toBeUndefined();
    expect(call('number', true)).toBe(1);
    expect(call('number', null)).toBeUndefined();
    expect(call('string', { a: [1] })).toBe('{"a":[1]}');
    expect(call('string', 12)).toBe('12');
    expect(call('string', null)).toBe('');
    expect(call('string', undefined)).toBe('');
  });

  it('writes JSON, also indented, and survives a cycle', () => {
    // ARRANGE
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    // ACT + ASSERT
    expect(call('json', { a: 'b' })).toBe('{"a":"b"}');
    expect(call('json', [1], 2)).toBe('[\n  1\n]');
    expect(call('json', 'x')).toBe('"x"');
    expect(call('json', cyclic)).toBeUndefined();
  });

  it('joins arrays with a separator', () => {
    expect(call('join', ['a', 'b'], ', ')).toBe('a, b');
    expect(call('join', [1, null, { x: 1 }], '|')).toBe('1||{"x":1}');
    expect(call('join', ['a', 'b'])).toBe('a,b');
    expect(call('join', 'ab', '-')).toBeUndefined();
  });

  it('tells the time as an ISO string', () => {
    // ARRANGE
    const before = Date.now();

    // ACT
    const now = call('now') as string;

    // ASSERT
    expect(now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(now)).toBeGreaterThanOrEqual(before - 1);
  });

  it.each<[unknown, unknown, string]>([
    ['abc', 0, 'needs a number as x, not a string with no number'],
    [undefined, 2, 'needs a number as x, not undefined'],
    [NaN, 2, 'needs a number as x, not NaN'],
    [1.5, 'x', 'needs a number as digits, not a string with no number'],
    [1.5, 0.5, 'needs a whole number of digits, not 0.5'],
  ])('round(%j, %j) refuses: %s', (x, digits, message) => {
    expect(() => call('round', x, digits)).toThrow(new FunctionArgumentError(message));
  });

  it('never throws anything but FunctionArgumentError, from a numeric function only, whatever the arguments', () => {
    // ARRANGE
    const odd = [undefined, null, 0, NaN, '', 'x', [], [null], {}, Object.create(null), Symbol('s'), () => 1, 10n];
    const numeric = new Set(['sum', 'min', 'max', 'round']);

    // ACT + ASSERT
    for (const name of FUNCTION_NAMES) {
      for (const a of odd) {
        for (const b of odd) {
          try {
            call(name, a, b);
          } catch (error) {
            expect(error).toBeInstanceOf(FunctionArgumentError);
            expect(numeric.has(name)).toBe(true);
          }
        }
      }
    }
  });
});
