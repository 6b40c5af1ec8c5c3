import { describe, expect, it } from 'vitest';
import { assertableKeys, defaultTestName, isVolatileKey, pickOutput } from '../../../../src/engine/testing/testChoices';

describe('defaultTestName', () => {
  it('names a test by the id in its input, not by the run id', () => {
    expect(defaultTestName({ orderId: 'A-42', total: 120, country: 'DE' }, [])).toBe('orderId A-42');
  });

  it('falls back to the first two values, then to a plain name, and never repeats a name in the file', () => {
    expect(defaultTestName({ total: 120, country: 'DE', note: 'x' }, [])).toBe('total 120, country DE');
    expect(defaultTestName(undefined, [])).toBe('recorded run');
    expect(defaultTestName({ orderId: 'A-42' }, ['orderId A-42', 'orderId A-42 (2)'])).toBe('orderId A-42 (3)');
  });
});

describe('which output keys a test asserts by default', () => {
  it('leaves out timestamps and ids, by name or by value', () => {
    const output = { orderId: 'A-42', queue: 'auto', tax: 22.8, createdAt: '2025-06-01T10:00:00Z', trace: '123e4567-e89b-12d3-a456-426614174000', id: 7, approved: true };
    expect(assertableKeys(output)).toEqual([
      { key: 'orderId', picked: false },
      { key: 'queue', picked: true },
      { key: 'tax', picked: true },
      { key: 'createdAt', picked: false },
      { key: 'trace', picked: false },
      { key: 'id', picked: false },
      { key: 'approved', picked: true },
    ]);
    expect(isVolatileKey('paid', false)).toBe(false);
    expect(isVolatileKey('valid', 'x')).toBe(false);
  });

  it('has nothing to pick in an output that is not an object', () => {
    expect(assertableKeys(42)).toBeUndefined();
    expect(assertableKeys([1, 2])).toBeUndefined();
  });

  it('keeps only the picked keys of the output', () => {
    expect(pickOutput({ a: 1, b: 2, c: 3 }, ['a', 'c'])).toEqual({ a: 1, c: 3 });
    expect(pickOutput({ a: 1 }, [])).toBeUndefined();
  });
});
