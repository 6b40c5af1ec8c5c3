// Property tests: whatever the input, parsing only ever succeeds or throws a positioned ExpressionSyntaxError,
// compiling a value with a problem handler never throws, and evaluating never throws.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeftError } from '../../../../src/engine/errors';
import { compileCondition } from '../../../../src/engine/expr/condition';
import { compileExpression } from '../../../../src/engine/expr/evaluate';
import type { ExprNode } from '../../../../src/engine/expr/exprTypes';
import { ExpressionSyntaxError } from '../../../../src/engine/expr/expressionSyntaxError';
import { ExpressionEvaluationError } from '../../../../src/engine/expr/expressionEvaluationError';
import { parseExpression } from '../../../../src/engine/expr/parser';
import { collectReferences } from '../../../../src/engine/expr/references';
import type { Scope } from '../../../../src/engine/expr/scope';
import { compileValue } from '../../../../src/engine/expr/template';

const VALID = [
  "(input.company.body.employees > 100 ? 50 : 10) + (contains(lower(input.person.body.title ?? ''), 'head') ? 30 : 0)",
  'nodes.fetch.body.items[0].id',
  'nodes["my-node"].x == "a\\n"',
  'round(input.total * 0.19, 2)',
  "{ a: [1, 2.5e3, 'x'], b: !item.paid } ",
  "'vip' in trigger.tags && len(keys(input)) >= 2 || index % 2 != 0",
  'join(values(variables), ", ") + string(now())',
];

// Characters that matter to the tokenizer and the parser, so random strings hit real code paths often.
const EXPRESSION_CHARS = [...'abnx_$01.5e+-*/%!=<>?:&|()[]{},\'"\\ \n\t`#', 'in', 'len(', 'nodes.', '{{', '}}', '\u2028', '\u{1F600}'];

const expressionLike = fc.array(fc.constantFrom(...EXPRESSION_CHARS), { maxLength: 40 }).map((parts) => parts.join(''));

const mutatedValid = fc
  .tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.constantFrom(...EXPRESSION_CHARS, '')), { maxLength: 4 }))
  .map(([source, edits]) =>
    edits.reduce((text, [at, remove, insert]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + remove);
    }, source),
  );

/** Grammatical expressions, to exercise the evaluator on many shapes. */
const generated: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('1', '0', '-0.5', "'s'", '""', 'true', 'null', 'undefined', 'input', 'nodes', 'item', 'index', 'trigger.a', 'input[0]', 'nodes.x.y', 'secrets', 'execution.id', 'zzz'),
    fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||', 'in'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a} ?? ${b})`),
    fc.tuple(fc.constantFrom('!', '-', '+'), tie('expr')).map(([op, a]) => `${op}${a}`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
    fc.tuple(tie('expr'), fc.constantFrom('.a', '.length', '.constructor', '[0]', '["__proto__"]', '.toString')).map(([a, m]) => `(${a})${m}`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a})[${b}]`),
    fc.array(tie('expr'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `{ k: ${a}, "__proto__": ${b} }`),
    fc.tuple(
      fc.constantFrom('contains', 'startsWith', 'endsWith', 'join', 'round', 'json', 'min', 'max', 'sum'),
      tie('expr'),
      tie('expr'),
    ).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(fc.constantFrom('lower', 'upper', 'trim', 'len', 'keys', 'values', 'number', 'string', 'sum'), tie('expr')).map(([f, a]) => `${f}(${a})`),
  ),
})).expr;

const oddValue = fc.constantFrom<unknown>(
  Object.create(null),
  JSON.parse('{"toString": 1, "valueOf": 2}'),
  JSON.parse('{"__proto__": {"x": 1}}'),
  Symbol('s'),
  10n,
  () => 1,
  new Date(0),
  NaN,
  -0,
);

const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), oddValue, fc.array(oddValue, { maxLength: 2 }));

const scopeArbitrary: fc.Arbitrary<Scope> = fc.record({
  trigger: anyValue,
  input: anyValue,
  nodes: fc.dictionary(fc.constantFrom('x', 'y', 'a', 'constructor'), anyValue),
  variables: fc.dictionary(fc.string({ maxLength: 3 }), anyValue),
  secrets: fc.dictionary(fc.string({ maxLength: 3 }), fc.string()),
  execution: fc.constant({ id: 'r', flowId: 'f', startedAt: '2024-01-01T00:00:00.000Z', trigger: { type: 'manual' } }),
  item: anyValue,
  index: fc.integer({ min: -2, max: 5 }),
});

function parseOrSyntaxError(source: string): ExprNode | undefined {
  try {
    return parseExpression(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    const { start, end } = error as ExpressionSyntaxError;
    expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
    expect(0 <= start && start <= end && end <= source.length).toBe(true);
    return undefined;
  }
}

describe('expression properties', () => {
  it('parses any string into a node or a positioned syntax error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), expressionLike, mutatedValid), (source) => {
        parseOrSyntaxError(source);
      }),
      { numRuns: 3000 },
    );
  });

  it('parses every grammatical expression', () => {
    fc.assert(
      fc.property(generated, (source) => {
        expect(() => parseExpression(source)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('evaluates any parsed expression on any scope, throwing nothing but a positioned expression error', () => {
    fc.assert(
      fc.property(fc.oneof(generated, mutatedValid, expressionLike), scopeArbitrary, (source, scope) => {
        const node = parseOrSyntaxError(source);
        if (node === undefined) return;
        const evaluate = compileExpression(node);
        try {
          evaluate(scope);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionEvaluationError);
          const { start, end } = error as ExpressionEvaluationError;
          expect(0 <= start && start < end && end <= source.length).toBe(true);
        }
        expect(() => collectReferences(node)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('compiles any value with a problem handler without throwing, and evaluates it throwing nothing but a placed expression error', () => {
    const templated = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.string({ maxLength: 5 }), fc.oneof(generated, mutatedValid, expressionLike), fc.constantFrom('}}', '', '}')).map(([a, e, close]) => `${a}{{${e}${close}`),
      fc.constantFrom('\\{{ x }}', '{{', '}}', '{{}}', '{{ {a: 1} }}'),
    );
    const value = fc.jsonValue({ maxDepth: 3 }).chain((base) =>
      fc.oneof(fc.constant(base), templated, fc.array(templated, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(templated, fc.constant(base)))),
    );
    fc.assert(
      fc.property(value, scopeArbitrary, (input, scope) => {
        const compiled = compileValue(input, (problem) => {
          expect(problem.start).toBeLessThanOrEqual(problem.end);
        });
        try {
          compiled.evaluate(scope);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionEvaluationError);
          const { start, end, valuePath } = error as ExpressionEvaluationError;
          const text = valuePath!.reduce<unknown>((v, step) => (v as Record<string | number, unknown>)[step], input);
          expect(typeof text).toBe('string');
          expect(0 <= start && start < end && end <= (text as string).length).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('compiles any condition with a problem handler, and evaluates it to a boolean or an expression error', () => {
    const rule = fc.letrec<{ rule: unknown }>((tie) => ({
      rule: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.constantFrom('item.paid', 'input.0', '', 'constructor'),
        fc.tuple(fc.constantFrom('var', '==', '>', 'and', 'or', '!', 'in', 'cat', 'contains', 'startsWith', 'if', 'some', 'map', 'merge', 'substr', '+', 'min', 'nope'), fc.array(tie('rule'), { maxLength: 3 })).map(([op, args]) => ({ [op]: args })),
      ),
    })).rule;
    fc.assert(
      fc.property(fc.oneof(rule, generated, mutatedValid), scopeArbitrary, (condition, scope) => {
        const compiled = compileCondition(condition, () => undefined);
        try {
          expect(typeof compiled.evaluate(scope)).toBe('boolean');
        } catch (error) {
          expect(error).toBeInstanceOf(WeftError);
          expect(['expression', 'expression-error']).toContain((error as WeftError).code);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
