import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../../src/engine/expr/evaluate';
import { parseExpression } from '../../../../src/engine/expr/parser';
import type { Scope } from '../../../../src/engine/expr/scope';
import { ExpressionEvaluationError } from '../../../../src/engine/expr/expressionEvaluationError';

function makeScope(overrides: Partial<Scope> = {}): Scope {
  return {
    trigger: { total: 900, tags: ['vip', 'eu'] },
    input: { name: 'Ada', count: 3, items: [{ id: 'a' }, { id: 'b' }], nested: { deep: { value: 7 } }, empty: null },
    nodes: { fetch: { body: { items: [{ id: 1 }, { id: 2 }] } }, 'my-node': { x: 'dash' } },
    variables: { limit: 500, key: 'name' },
    secrets: { TOKEN: 's3cret' },
    execution: { id: 'run-1', flowId: 'f', startedAt: '2024-01-01T00:00:00.000Z', trigger: { type: 'manual' } },
    item: { paid: false, daysLate: 30 },
    index: 2,
    ...overrides,
  };
}

function run(source: string, scope: Scope = makeScope()): unknown {
  return compileExpression(parseExpression(source))(scope);
}

describe('compileExpression', () => {
  it.each<[string, unknown]>([
    ['42', 42],
    ["'x'", 'x'],
    ['true', true],
    ['null', null],
    ['undefined', undefined],
    ['[1, index, "a"]', [1, 2, 'a']],
    ['{ a: index, "b": [input.count] }', { a: 2, b: [3] }],
  ])('evaluates the literal %s', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['trigger.total', 900],
    ['input.name', 'Ada'],
    ['nodes.fetch.body.items[0].id', 1],
    ['nodes.fetch.body.items[1]["id"]', 2],
    ['nodes["my-node"].x', 'dash'],
    ['variables.limit', 500],
    ['secrets.TOKEN', 's3cret'],
    ['execution.flowId', 'f'],
    ['item.daysLate', 30],
    ['index', 2],
    ['input[variables.key]', 'Ada'],
    ['input.items[index - 1].id', 'b'],
    ['input.nested.deep.value', 7],
    ['input.items.length', 2],
    ['input.name.length', 3],
    ['input.name[0]', 'A'],
    ["'abc'.length", 3],
    ['[10, 20][1]', 20],
    ['{ a: { b: 5 } }.a.b', 5],
  ])('reads the path %s', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    'nodes.missing.a.b.c',
    'input.empty.x',
    'input.count.x',
    'input.items[5].id',
    'input.items[-1]',
    'input.items[0.5]',
    'input.name[10]',
    'input[true]',
    'input[null]',
    'unknownRoot.x',
    'item.paid.x.y',
  ])('gives undefined for the missing step in %s', (source) => {
    expect(run(source)).toBeUndefined();
  });

  it.each([
    'nodes.constructor',
    'trigger.__proto__',
    'input["constructor"]',
    'input["__proto__"]',
    'input.constructor.name',
    'input.toString',
    'input.hasOwnProperty',
    'input.items.map',
    'input.items.constructor',
    'input.name.toUpperCase',
    'input.name.constructor',
    'input[variables.proto]',
    'input[["__proto__"][0]]',
    'nodes.fetch.prototype',
    'execution.id.__proto__',
  ])('never reads an inherited or prototype member: %s is undefined', (source) => {
    // ARRANGE
    const scope = makeScope({ variables: { proto: '__proto__' } });

    // ACT + ASSERT
    expect(run(source, scope)).toBeUndefined();
  });

  it("does not read a data key named '__proto__' either", () => {
    // ARRANGE: JSON.parse makes `__proto__` an own data key
    const scope = makeScope({ input: JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') });

    // ACT + ASSERT
    expect(run('input.__proto__', scope)).toBeUndefined();
    expect(run('input["__proto__"].polluted', scope)).toBeUndefined();
    expect(run('input.ok', scope)).toBe(1);
  });

  it.each<[string, unknown]>([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['7 % 3', 1],
    ['7 / 2', 3.5],
    ['10 - 2 - 3', 5],
    ["'a' + 1", 'a1'],
    ["1 + 'a'", '1a'],
    ["'ok: ' + true", 'ok: true'],
    ["'Hi ' + input.name", 'Hi Ada'],
    ['-input.count', -3],
  ])('computes %s as JavaScript does', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  // docs/decisions.md, "No silent wrong results": where JavaScript would give NaN, Infinity or a coerced
  // value, the expression fails with the offsets of the operation and the operand types.
  it.each<[string, string, number, number]>([
    ['1 / 0', 'cannot divide 1 by zero', 0, 5],
    ['5 % 0', 'cannot divide 5 by zero', 0, 5],
    ['1 + undefined', 'cannot add undefined to number', 0, 13],
    ['input.count / input.name', 'cannot divide number by string', 0, 24],
    ["+'4'", 'cannot apply unary + to string; use number(x) to read a number from text', 0, 4],
    ["'6' * '7'", 'cannot multiply string by string', 0, 9],
    ['[1] + [2]', 'cannot add array to array', 0, 9],
    ['1 + null', 'cannot add null to number', 0, 8],
    ["'a' + input.nested", 'cannot add object to string', 0, 18],
    ['-input.name', 'cannot negate string', 0, 11],
    ['2 * (input.count - input.empty)', 'cannot subtract null from number', 5, 30],
    ['1e308 * 10', 'the result of 1e+308 * 10 is not a finite number', 0, 10],
    ['round(input.name, 2)', 'round() needs a number as x, not a string with no number', 0, 20],
    ['sum([1, input.name])', 'sum() needs a number as item 1, not a string with no number', 0, 20],
  ])('fails %s: %s', (source, reason, start, end) => {
    let caught: unknown;
    try {
      run(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionEvaluationError);
    expect(caught).toMatchObject({ code: 'expression-error', reason, start, end, kind: 'user' });
  });

  it.each<[string, unknown]>([
    ['input.count / input.name ?? 0', 0],
    ['default(input.count / input.name, -1)', -1],
    ['default(round(input.name, 2), "n/a")', 'n/a'],
    ['(1 / 0) ?? null', null],
    ['default(input.missing, 5)', 5],
    ['default(input.empty, "none")', 'none'],
    ['default(input.count, 0)', 3],
    ['input.count / 2 ?? 0', 1.5],
  ])('stays silent where the expression gives a fallback: %s is %s', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each<[string, boolean]>([
    ['1 == 1', true],
    ["1 == '1'", false],
    ["1 === '1'", false],
    ["1 != '1'", true],
    ['null == undefined', false],
    ['input.missing == undefined', true],
    ['2 < 10', true],
    ["'2' < '10'", false],
    ['3 <= 3', true],
    ['3 > 4', false],
    ['4 >= 4', true],
    ['trigger.total > variables.limit', true],
  ])('compares %s strictly', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ["'vip' in trigger.tags", true],
    ["'us' in trigger.tags", false],
    ["'name' in input", true],
    ["'toString' in input", false],
    ["'constructor' in input", false],
    ["'da' in input.name", true],
    ["'x' in 5", false],
    ["'x' in input.missing", false],
    ['1 in [1, 2]', true],
    ["'1' in [1, 2]", false],
    ['{ id: "a" } in input.items', true],
  ])('tests membership with %s', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['input.missing ?? "d"', 'd'],
    ['input.empty ?? "d"', 'd'],
    ['0 ?? "d"', 0],
    ["'' || 'd'", 'd'],
    ['input.name && input.count', 3],
    ['!input.name', false],
    ['!!input.missing', false],
    ['input.count > 2 ? "many" : "few"', 'many'],
  ])('evaluates the logic of %s', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('short-circuits &&, ||, ?? and ? :', () => {
    // ARRANGE: reading `input` through a getter counts how often the right-hand sides run
    let reads = 0;
    const scope = makeScope();
    Object.defineProperty(scope, 'input', { get: () => { reads++; return { x: 1 }; } });

    // ACT
    run('false && input.x', scope);
    run('true || input.x', scope);
    run('1 ?? input.x', scope);
    run('true ? 1 : input.x', scope);

    // ASSERT
    expect(reads).toBe(0);
  });

  it('calls the built-in functions', () => {
    expect(run("contains(lower(input.name), 'ad')")).toBe(true);
    expect(run('len(nodes.fetch.body.items)')).toBe(2);
    expect(run('round(trigger.total * 0.19, 2)')).toBe(171);
    expect(run('max(1, index, 0)')).toBe(2);
    expect(run("join([1, 2, 3], '-')")).toBe('1-2-3');
  });

  it('fails with the operand types where JavaScript would throw on an odd operand', () => {
    // ARRANGE: objects whose conversion to a primitive throws
    const scope = makeScope({ input: { bad: JSON.parse('{"toString": 1, "valueOf": 2}'), bare: Object.create(null) as object } });

    // ACT + ASSERT
    expect(() => run('input.bad + 1', scope)).toThrow('cannot add number to object');
    expect(() => run('input.bare * 2', scope)).toThrow('cannot multiply object by number');
    expect(() => run('-input.bare', scope)).toThrow('cannot negate object');
    expect(run('input.bare < 1', scope)).toBe(false);
    expect(() => run("'x' + input.bare", scope)).toThrow('cannot add object to string');
  });

  it('creates a fresh array and object on each evaluation', () => {
    // ARRANGE
    const evaluate = compileExpression(parseExpression('{ list: [index] }'));
    const scope = makeScope();

    // ACT
    const first = evaluate(scope) as { list: number[] };
    first.list.push(99);
    const second = evaluate(scope);

    // ASSERT
    expect(second).toEqual({ list: [2] });
  });

  it("keeps '__proto__' in an object literal as an ordinary key", () => {
    // ACT
    const value = run('{ "__proto__": { polluted: true } }') as Record<string, unknown>;

    // ASSERT
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a scope without item and index', () => {
    // ARRANGE
    const scope = makeScope();
    delete scope.item;
    delete scope.index;

    // ACT + ASSERT
    expect(run('item.id', scope)).toBeUndefined();
    expect(() => run('index + 1', scope)).toThrow('cannot add number to undefined');
  });
});
