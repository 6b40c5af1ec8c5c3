import { describe, expect, it } from 'vitest';
import { ExpressionSyntaxError } from '../../../../src/engine/expr/expressionSyntaxError';
import { ExpressionEvaluationError } from '../../../../src/engine/expr/expressionEvaluationError';
import type { Scope } from '../../../../src/engine/expr/scope';
import { compileValue, findTemplates, type ValueProblem } from '../../../../src/engine/expr/template';

const scope: Scope = {
  trigger: { email: 'ada@acme.test' },
  input: { n: 42, obj: { a: [1, 2] }, list: ['x', 'y'], nothing: null, flag: true },
  nodes: { overdue: [1, 2] },
  variables: {},
  secrets: {},
  execution: { id: 'run-1', flowId: 'f', startedAt: '2024-01-01T00:00:00.000Z', trigger: { type: 'manual' } },
  item: { id: 'I-1', daysLate: 30 },
  index: 0,
};

describe('findTemplates', () => {
  it('finds each template with its offsets and untrimmed source', () => {
    // ACT
    const spans = findTemplates('Hi {{ a }} and {{b}}!');

    // ASSERT
    expect(spans).toEqual([
      { start: 3, end: 10, source: ' a ', sourceStart: 5 },
      { start: 15, end: 20, source: 'b', sourceStart: 17 },
    ]);
  });

  it('treats \\{{ as literal text, not a template', () => {
    expect(findTemplates('\\{{ a }} {{ b }}')).toEqual([{ start: 9, end: 16, source: ' b ', sourceStart: 11 }]);
  });

  it('ends a template after object literals and strings holding braces', () => {
    expect(findTemplates("{{ {a: {b: 1}} }}")).toEqual([{ start: 0, end: 17, source: ' {a: {b: 1}} ', sourceStart: 2 }]);
    expect(findTemplates("{{ 'x}}y' }} z")).toEqual([{ start: 0, end: 12, source: " 'x}}y' ", sourceStart: 2 }]);
  });

  it('leaves out an unclosed {{', () => {
    expect(findTemplates('{{ a }} {{ b')).toHaveLength(1);
  });
});

/** The problems compileValue reports for one string, without their (empty) paths. */
function findTemplateProblems(text: string): { message: string; start: number; end: number }[] {
  const problems: { message: string; start: number; end: number }[] = [];
  compileValue(text, ({ message, start, end }) => problems.push({ message, start, end }));
  return problems;
}

describe('template problems', () => {
  it('reports syntax errors with offsets into the string', () => {
    // ACT
    const problems = findTemplateProblems('Total: {{ 1 + }}');

    // ASSERT
    expect(problems).toEqual([{ message: "Expected an expression after '+'", start: 12, end: 13 }]);
  });

  it('reports an unclosed {{ from its start to the end of the string', () => {
    // ACT
    const problems = findTemplateProblems('Hello {{ name');

    // ASSERT
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ start: 6, end: 13 });
    expect(problems[0].message).toMatch(/^Unclosed '\{\{'/);
  });

  it('reports an unterminated string inside a template where it is', () => {
    expect(findTemplateProblems("{{ 'abc }}")).toEqual([{ message: 'Unterminated string', start: 3, end: 8 }]);
  });

  it('finds nothing wrong in a correct or escaped string', () => {
    expect(findTemplateProblems('{{ a }} \\{{ not a template')).toEqual([]);
  });
});

describe('compileValue', () => {
  it('keeps the type of a string that is exactly one template', () => {
    expect(compileValue('{{ input.n }}').evaluate(scope)).toBe(42);
    expect(compileValue('{{input.obj}}').evaluate(scope)).toEqual({ a: [1, 2] });
    expect(compileValue('{{ input.flag }}').evaluate(scope)).toBe(true);
    expect(compileValue('{{ input.missing }}').evaluate(scope)).toBeUndefined();
  });

  it('splices templates into surrounding text', () => {
    // ARRANGE
    const text = 'Invoice {{ item.id }} is {{ item.daysLate }} days late ({{ index + 1 }} of {{ len(nodes.overdue) }})';

    // ACT + ASSERT
    expect(compileValue(text).evaluate(scope)).toBe('Invoice I-1 is 30 days late (1 of 2)');
  });

  it('writes objects as JSON and null or undefined as nothing when splicing', () => {
    expect(compileValue(' {{ input.n }}').evaluate(scope)).toBe(' 42');
    expect(compileValue('{{ input.obj }}!').evaluate(scope)).toBe('{"a":[1,2]}!');
    expect(compileValue('[{{ input.nothing }}|{{ input.missing }}]').evaluate(scope)).toBe('[|]');
    expect(compileValue('{{ input.list }}{{ input.flag }}').evaluate(scope)).toBe('["x","y"]true');
  });

  it('turns \\{{ into {{ and keeps the value static', () => {
    // ACT
    const compiled = compileValue('use \\{{ name }} for {{ item.id }}');
    const literal = compileValue('just \\{{ braces }}');

    // ASSERT
    expect(compiled.evaluate(scope)).toBe('use {{ name }} for I-1');
    expect(literal.isStatic).toBe(true);
    expect(literal.evaluate(scope)).toBe('just {{ braces }}');
  });

  it('returns a value without templates as it is, the same object', () => {
    // ARRANGE
    const value = { a: 1, b: ['x', { c: 'no template here' }], d: null };

    // ACT
    const compiled = compileValue(value);

    // ASSERT
    expect(compiled.isStatic).toBe(true);
    expect(compiled.evaluate(scope)).toBe(value);
  });

  it('evaluates templates anywhere in a nested value and keeps static children by reference', () => {
    // ARRANGE
    const staticChild = { keep: ['me'] };
    const value = { to: '{{ trigger.email }}', meta: staticChild, list: [1, '{{ index }}', { deep: 'n={{ input.n }}' }] };

    // ACT
    const compiled = compileValue(value);
    const first = compiled.evaluate(scope) as typeof value;
    const second = compiled.evaluate({ ...scope, index: 5 }) as typeof value;

    // ASSERT
    expect(compiled.isStatic).toBe(false);
    expect(first).toEqual({ to: 'ada@acme.test', meta: { keep: ['me'] }, list: [1, 0, { deep: 'n=42' }] });
    expect(first.meta).toBe(staticChild);
    expect(second.list[1]).toBe(5);
    expect(first).not.toBe(second);
    expect(value.to).toBe('{{ trigger.email }}');
  });

  it('rebuilds a static value once when an escape changes one of its strings', () => {
    // ARRANGE
    const value = { a: '\\{{ x }}', b: { c: 1 } };

    // ACT
    const compiled = compileValue(value);
    const result = compiled.evaluate(scope) as typeof value;

    // ASSERT
    expect(compiled.isStatic).toBe(true);
    expect(result).toEqual({ a: '{{ x }}', b: { c: 1 } });
    expect(result.b).toBe(value.b);
    expect(compiled.evaluate(scope)).toBe(result);
  });

  it('reports every problem with its JSON path and string offsets, and evaluates broken templates to undefined', () => {
    // ARRANGE
    const problems: ValueProblem[] = [];
    const value = { ok: '{{ index }}', bad: ['x', 'a {{ 1 + }} b'], worse: '{{ foo(1) }}', open: 'x {{ y' };

    // ACT
    const compiled = compileValue(value, (p) => problems.push(p));
    const result = compiled.evaluate(scope);

    // ASSERT
    expect(problems).toEqual([
      { message: "Expected an expression after '+'", start: 7, end: 8, path: ['bad', 1] },
      { message: "Unknown function 'foo'", start: 3, end: 6, path: ['worse'] },
      expect.objectContaining({ start: 2, end: 6, path: ['open'] }),
    ]);
    expect(result).toEqual({ ok: 0, bad: ['x', 'a  b'], worse: undefined, open: 'x ' });
  });

  it('throws the first problem without a problem handler', () => {
    // ACT
    const act = (): unknown => compileValue({ a: ['{{ ) }}'] });

    // ASSERT
    expect(act).toThrow(ExpressionSyntaxError);
    expect(act).toThrow("Unexpected ')'");
  });

  it('compiles values that are not plain data as static values', () => {
    // ARRANGE
    const fn = (): number => 1;
    const date = new Date(0);

    // ACT + ASSERT
    expect(compileValue(fn).evaluate(scope)).toBe(fn);
    expect(compileValue({ code: fn, when: date }).isStatic).toBe(true);
    expect(compileValue(42).evaluate(scope)).toBe(42);
    expect(compileValue(undefined).evaluate(scope)).toBeUndefined();
  });

  it('survives a cyclic object (from a .flow.ts)', () => {
    // ARRANGE
    const value: Record<string, unknown> = { a: '{{ index }}' };
    value.self = value;

    // ACT
    const result = compileValue(value).evaluate(scope) as Record<string, unknown>;

    // ASSERT
    expect(result.a).toBe(0);
    expect(result.self).toBe(value);
  });

  it("keeps a '__proto__' key as data when rebuilding an object", () => {
    // ARRANGE
    const value = JSON.parse('{"__proto__": {"x": "{{ index }}"}, "y": "{{ index }}"}') as unknown;

    // ACT
    const result = compileValue(value).evaluate(scope) as Record<string, unknown>;

    // ASSERT
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__', 'y']);
  });
});

describe('compileValue: no silent wrong results', () => {
  function failure(value: unknown): ExpressionEvaluationError {
    try {
      compileValue(value).evaluate(scope);
    } catch (error) {
      if (error instanceof ExpressionEvaluationError) return error;
      throw error;
    }
    throw new Error('expected the value to fail');
  }

  it('places a failure in a spliced string: the JSON path of the string and the offsets of the failing part', () => {
    // ARRANGE: `input.nothing` is null
    const value = { mail: { subject: 'Order {{ input.n }}: {{ input.nothing.id }}' } };

    // ACT
    const error = failure(value);

    // ASSERT
    expect(error.valuePath).toEqual(['mail', 'subject']);
    expect(value.mail.subject.slice(error.start, error.end)).toBe('input.nothing.id');
    expect(error.message).toBe('`input.nothing.id`: cannot read id of null (input.nothing is null)');
    expect(error.hint).toBe('If it may have no value, give a fallback: {{ input.nothing.id ?? null }} or {{ default(input.nothing.id, null) }}.');
  });

  it('places an arithmetic failure inside an array of a value', () => {
    const value = { lines: ['ok', '{{ round(input.n / input.list, 2) }}'] };
    const error = failure(value);
    expect(error.valuePath).toEqual(['lines', 1]);
    expect(value.lines[1].slice(error.start, error.end)).toBe('input.n / input.list');
    expect(error.message).toBe('`input.n / input.list`: cannot divide number by array');
  });

  it('keeps a missing last step undefined (the spec: a missing step is undefined, never a throw)', () => {
    expect(compileValue({ tax: '{{ input.tax }}', text: 'tax: {{ input.tax }}' }).evaluate(scope)).toEqual({ tax: undefined, text: 'tax: ' });
  });

  it('stays silent where the template gives a fallback', () => {
    expect(compileValue({ id: '{{ input.nothing.id ?? "none" }}', rate: '{{ default(input.n / input.list, 0) }}' }).evaluate(scope)).toEqual({ id: 'none', rate: 0 });
  });
});
