import { describe, expect, it } from 'vitest';
import { inputShapeProblem, MAX_INPUT_DEPTH } from '../../../src/live/inputShape';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('inputShapeProblem', () => {
  it(`accepts ${MAX_INPUT_DEPTH} levels of nesting and refuses one more, and 10,000 without overflowing the stack`, () => {
    expect(inputShapeProblem(nested(MAX_INPUT_DEPTH))).toBeUndefined();
    expect(inputShapeProblem(nested(MAX_INPUT_DEPTH + 1))?.code).toBe('body-too-deep');
    expect(inputShapeProblem(nested(10_000))?.code).toBe('body-too-deep');
  });

  it('refuses __proto__, constructor and prototype keys at any depth, naming where', () => {
    // ARRANGE
    const proto = JSON.parse('{"__proto__": {"admin": true}}') as unknown;
    // ACT + ASSERT
    expect(inputShapeProblem(proto)).toMatchObject({ code: 'forbidden-key', message: expect.stringContaining('at /__proto__') });
    expect(inputShapeProblem({ a: [{ b: { constructor: 1 } }] })).toMatchObject({ code: 'forbidden-key', message: expect.stringContaining('at /a/0/b/constructor') });
    expect(inputShapeProblem({ 'x/y': { prototype: 1 } })?.message).toContain('at /x~1y/prototype');
  });

  it('accepts ordinary values, including keys that merely contain the words', () => {
    expect(inputShapeProblem({ proto: 1, constructorName: 'x', list: [1, 'two', null, { prototypes: [] }] })).toBeUndefined();
    expect(inputShapeProblem(undefined)).toBeUndefined();
    expect(inputShapeProblem('text')).toBeUndefined();
  });
});
