import { describe, expect, it } from 'vitest';
import { WeftError } from '../../../../src/engine/errors';
import { compileCondition } from '../../../../src/engine/expr/condition';
import { ExpressionSyntaxError } from '../../../../src/engine/expr/expressionSyntaxError';
import type { Scope } from '../../../../src/engine/expr/scope';
import type { ValueProblem } from '../../../../src/engine/expr/template';

function makeScope(overrides: Partial<Scope> = {}): Scope {
  return {
    trigger: { total: 900 },
    input: { title: 'Head of Sales', tags: ['vip'] },
    nodes: { score: { value: 85 } },
    variables: { reviewAbove: 500 },
    secrets: {},
    execution: { id: 'run-1', flowId: 'f', startedAt: '2024-01-01T00:00:00.000Z', trigger: { type: 'manual' } },
    item: { paid: false, daysLate: 30, email: 'a@x.test' },
    index: 0,
    ...overrides,
  };
}

function check(condition: unknown, scope: Scope = makeScope()): unknown {
  return compileCondition(condition).evaluate(scope);
}

function problemsOf(condition: unknown): ValueProblem[] {
  const problems: ValueProblem[] = [];
  compileCondition(condition, (p) => problems.push(p));
  return problems;
}

describe('compileCondition', () => {
  it('takes a boolean as it is', () => {
    expect(check(true)).toBe(true);
    expect(check(false)).toBe(false);
    expect(compileCondition(true).isStatic).toBe(true);
  });

  it('evaluates an expression string with or without braces', () => {
    expect(check('{{ trigger.total > variables.reviewAbove }}')).toBe(true);
    expect(check('  {{ trigger.total > 1000 }} ')).toBe(false);
    expect(check('trigger.total > variables.reviewAbove')).toBe(true);
    expect(check('nodes.score.value >= 80')).toBe(true);
  });

  it('takes the value of an expression as truthy or falsy, the JavaScript way', () => {
    expect(check('input.title')).toBe(true);
    expect(check('input.missing')).toBe(false);
    expect(check('0')).toBe(false);
    expect(check("''")).toBe(false);
    expect(check('[]')).toBe(true);
  });

  it('evaluates a JSON Logic rule against the same scope', () => {
    // ARRANGE: the rule of the invoices example
    const rule = { and: [{ '==': [{ var: 'item.paid' }, false] }, { '>': [{ var: 'item.daysLate' }, 14] }] };

    // ACT + ASSERT
    expect(check(rule)).toBe(true);
    expect(check(rule, makeScope({ item: { paid: true, daysLate: 40 } }))).toBe(false);
    expect(check(rule, makeScope({ item: { paid: false, daysLate: 3 } }))).toBe(false);
  });

  it('reads var paths with indexes and defaults', () => {
    expect(check({ '==': [{ var: 'input.tags.0' }, 'vip'] })).toBe(true);
    expect(check({ '==': [{ var: ['input.missing.x', 'dflt'] }, 'dflt'] })).toBe(true);
  });

  it('has the extra operations contains, startsWith and endsWith', () => {
    expect(check({ contains: [{ var: 'input.title' }, 'Sales'] })).toBe(true);
    expect(check({ contains: [{ var: 'input.tags' }, 'vip'] })).toBe(true);
    expect(check({ contains: [{ var: 'input.tags' }, 'eu'] })).toBe(false);
    expect(check({ startsWith: [{ var: 'input.title' }, 'Head'] })).toBe(true);
    expect(check({ endsWith: [{ var: 'item.email' }, '@x.test'] })).toBe(true);
    expect(check({ endsWith: [{ var: 'item.missing' }, 'x'] })).toBe(false);
  });

  it('evaluates templates inside a rule', () => {
    // ARRANGE
    const rule = { '>': [{ var: 'trigger.total' }, '{{ variables.reviewAbove }}'] };

    // ACT + ASSERT
    expect(check(rule)).toBe(true);
    expect(check(rule, makeScope({ variables: { reviewAbove: 1000 } }))).toBe(false);
  });

  it('never lets var reach a prototype or an inherited member', () => {
    // ARRANGE: a computed path slips past the compile-time check; the run-time var still refuses it
    const computed = { '!!': [{ var: { cat: ['input.', 'constructor'] } }] };

    // ACT + ASSERT
    expect(check(computed)).toBe(false);
    expect(check({ '!!': [{ var: { cat: ['input.title.', 'toString'] } }] })).toBe(false);
    expect(check({ '!!': [{ var: { cat: ['__pro', 'to__'] } }] })).toBe(false);
  });

  it('reports unsafe var paths, unknown operations and log at compile time', () => {
    expect(problemsOf({ '!!': { var: 'input.__proto__.x' } })).toEqual([
      { message: "A path cannot read '__proto__'", start: 6, end: 15, path: ['!!', 'var'] },
    ]);
    expect(problemsOf({ '!!': [{ var: ['constructor'] }] })).toEqual([
      { message: "A path cannot read 'constructor'", start: 0, end: 11, path: ['!!', 0, 'var', 0] },
    ]);
    expect(problemsOf({ and: [true, { 'var.prototype': [] }] })).toEqual([
      { message: "Unknown JSON Logic operation 'var.prototype'", start: 0, end: 0, path: ['and', 1, 'var.prototype'] },
    ]);
    expect(problemsOf({ log: 'x' })).toHaveLength(1);
    expect(problemsOf({ a: 1, b: 2 })).toHaveLength(1);
  });

  it('is false after a problem, and throws the problem without a handler', () => {
    // ARRANGE
    const problems: ValueProblem[] = [];

    // ACT
    const compiled = compileCondition({ nope: [1] }, (p) => problems.push(p));

    // ASSERT
    expect(problems).toHaveLength(1);
    expect(compiled.evaluate(makeScope())).toBe(false);
    expect(() => compileCondition({ nope: [1] })).toThrow(ExpressionSyntaxError);
  });

  it('reports expression problems with offsets into the string', () => {
    expect(problemsOf('{{ a > }}')).toEqual([{ message: "Expected an expression after '>'", start: 5, end: 6, path: [] }]);
    expect(problemsOf('a >')).toEqual([{ message: "Expected an expression after '>'", start: 2, end: 3, path: [] }]);
    expect(problemsOf('{{ a }} and {{ b }}')).toEqual([expect.objectContaining({ start: 0, end: 19, path: [] })]);
    expect(problemsOf('x {{ a }}')).toHaveLength(1);
    expect(problemsOf('{{ a')).toEqual([expect.objectContaining({ start: 0, end: 4 })]);
    expect(problemsOf(12)).toHaveLength(1);
    expect(problemsOf(null)).toHaveLength(1);
  });

  it('turns a failure inside JSON Logic into an expression error', () => {
    // ARRANGE: `in` on an object whose indexOf is not a function makes json-logic-js throw
    const rule = { in: ['a', { var: 'input.odd' }] };
    const scope = makeScope({ input: { odd: { indexOf: 1 } } });

    // ACT
    let caught: unknown;
    try {
      compileCondition(rule).evaluate(scope);
    } catch (error) {
      caught = error;
    }

    // ASSERT
    expect(caught).toBeInstanceOf(WeftError);
    expect((caught as WeftError).code).toBe('expression');
  });
});
