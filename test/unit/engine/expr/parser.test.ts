import { describe, expect, it } from 'vitest';
import type { ExprNode } from '../../../../src/engine/expr/exprTypes';
import { ExpressionSyntaxError } from '../../../../src/engine/expr/expressionSyntaxError';
import { parseExpression } from '../../../../src/engine/expr/parser';

/** The tree as compact text, parenthesised, so precedence shows at a glance. */
function show(node: ExprNode): string {
  switch (node.kind) {
    case 'literal':
      return node.value === undefined ? 'undefined' : JSON.stringify(node.value);
    case 'identifier':
      return node.name;
    case 'array':
      return `[${node.elements.map(show).join(', ')}]`;
    case 'object':
      return `{${node.entries.map((e) => `${e.key}: ${show(e.value)}`).join(', ')}}`;
    case 'member':
      return node.computed ? `${show(node.object)}[${show(node.property)}]` : `${show(node.object)}.${String((node.property as { value: unknown }).value)}`;
    case 'call':
      return `${node.callee}(${node.args.map(show).join(', ')})`;
    case 'unary':
      return `(${node.operator}${show(node.argument)})`;
    case 'binary':
      return `(${show(node.left)} ${node.operator} ${show(node.right)})`;
    case 'conditional':
      return `(${show(node.test)} ? ${show(node.consequent)} : ${show(node.alternate)})`;
  }
}

function syntaxError(source: string): ExpressionSyntaxError {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

describe('parseExpression', () => {
  it.each([
    ['42', '42'],
    ['1.5e3', '1500'],
    ['.5', '0.5'],
    ['0x1F', '31'],
    ["'it\\'s'", '"it\'s"'],
    ['"a\\n\\t\\u0041\\x42\\u{1F600}"', JSON.stringify('a\n\tAB\u{1F600}')],
    ['true', 'true'],
    ['false', 'false'],
    ['null', 'null'],
    ['undefined', 'undefined'],
    ['[1, "a", x]', '[1, "a", x]'],
    ['[1, 2,]', '[1, 2]'],
    ['[]', '[]'],
    ['{ a: 1, "b c": x, 3: y }', '{a: 1, b c: x, 3: y}'],
  ])('reads the literal %s', (source, expected) => {
    // ACT
    const node = parseExpression(source);

    // ASSERT
    expect(show(node)).toBe(expected);
  });

  it.each([
    ['nodes.fetch.body.items[0].id', 'nodes.fetch.body.items[0].id'],
    ['nodes["my-node"].x', 'nodes["my-node"].x'],
    ['a?.b?.[0]', 'a.b[0]'],
    ['a.in.true', 'a.in.true'],
    ['input[index + 1]', 'input[(index + 1)]'],
  ])('reads the path %s', (source, expected) => {
    expect(show(parseExpression(source))).toBe(expected);
  });

  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['8 / 4 % 3', '((8 / 4) % 3)'],
    ['-a * b', '((-a) * b)'],
    ['!a && b', '((!a) && b)'],
    ['+a + -b', '((+a) + (-b))'],
    ['!!a', '(!(!a))'],
    ['a + 1 > b * 2', '((a + 1) > (b * 2))'],
    ['a < b == c >= d', '((a < b) == (c >= d))'],
    ['a === b', '(a == b)'],
    ['a !== b', '(a != b)'],
    ['a != b', '(a != b)'],
    ['a <= b', '(a <= b)'],
    ['a > b', '(a > b)'],
    ["'x' in a + b", '("x" in (a + b))'],
    ['a in b == true', '((a in b) == true)'],
    ['a || b && c', '(a || (b && c))'],
    ['a && b || c', '((a && b) || c)'],
    ['a ?? b ?? c', '((a ?? b) ?? c)'],
    ['a ?? b == c', '(a ?? (b == c))'],
    ['(a || b) ?? c', '((a || b) ?? c)'],
    ['a ? b : c ? d : e', '(a ? b : (c ? d : e))'],
    ['a || b ? c : d', '((a || b) ? c : d)'],
    ['a ? b ? c : d : e', '(a ? (b ? c : d) : e)'],
    ['a ? .5 : 1', '(a ? 0.5 : 1)'],
    ['len(x) + 1', '(len(x) + 1)'],
    ['round(x * 0.19, 2)', 'round((x * 0.19), 2)'],
    ['now()', 'now()'],
    ['max(a, b, c)', 'max(a, b, c)'],
  ])('gives %s the precedence JavaScript gives it', (source, expected) => {
    expect(show(parseExpression(source))).toBe(expected);
  });

  it('records offsets into the source', () => {
    // ARRANGE
    const source = ' nodes.a + len(x) ';

    // ACT
    const node = parseExpression(source);

    // ASSERT
    expect(node).toMatchObject({ kind: 'binary', start: 1, end: 17 });
    if (node.kind !== 'binary') throw new Error('binary expected');
    expect(node.left).toMatchObject({ kind: 'member', start: 1, end: 8 });
    expect(node.right).toMatchObject({ kind: 'call', callee: 'len', start: 11, end: 17 });
  });

  it.each([
    ['(1 + 2))', "Unexpected ')'", 7, 8],
    ['1 +', "Expected an expression after '+'", 2, 3],
    ['', 'Expected an expression', 0, 0],
    ['   ', 'Expected an expression', 0, 3],
    ['foo(1)', "Unknown function 'foo'", 0, 3],
    ['a.b(1)', 'Only the built-in functions can be called', 0, 3],
    ['len(x)(1)', 'Only the built-in functions can be called', 0, 6],
    ["'abc", 'Unterminated string', 0, 4],
    ['x == "a\\', 'Unterminated string', 5, 8],
    ['(1 + 2', "Missing ')' to close '('", 0, 1],
    ['[1, 2', "Missing ']' to close '['", 0, 1],
    ['a[1', "Missing ']' to close '['", 1, 2],
    ['{a: 1', "Missing '}' to close '{'", 0, 1],
    ['len(x', "Missing ')' to close '('", 3, 4],
    ['a b', "Unexpected 'b'", 2, 3],
    ['a = 1', "Unexpected '='; use '==' to compare", 2, 3],
    ['a & b', "Unexpected '&'; use '&&' for 'and'", 2, 3],
    ['a # b', "Unexpected character '#'", 2, 3],
    ['a ?? b || c', "Mixing '??' with '||' or '&&' needs parentheses", 2, 4],
    ['a && b ?? c', "Mixing '??' with '||' or '&&' needs parentheses", 7, 9],
    ['a ? b', "Expected ':' in the conditional '? :'", 0, 5],
    ['a.', "Expected a property name after '.'", 1, 2],
    ['a.0', "Unexpected number after '.'; use a[0] to read an index", 1, 3],
    ['12px', 'Invalid number', 0, 4],
    ['1e', 'Invalid number', 0, 2],
    ['"\\x4"', 'Invalid escape sequence', 1, 5],
    ['lower()', "'lower' takes 1 argument", 0, 7],
    ['round(1, 2, 3)', "'round' takes 1 to 2 arguments", 0, 14],
    ['now(1)', "'now' takes no arguments", 0, 6],
    ['a[]', "Expected an expression inside '[ ]'", 1, 3],
    ['()', "Expected an expression inside '( )'", 0, 2],
    ['{a}', "Expected ':' after the property name", 1, 2],
    ['[1,,2]', "Unexpected ','", 3, 4],
    ['in', "Unexpected 'in'", 0, 2],
    ['`x`', 'Template literals are not supported; use + to join strings', 0, 1],
  ])('reports %j as "%s" at %i..%i', (source, message, start, end) => {
    // ACT
    const error = syntaxError(source);

    // ASSERT
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect(error.name).toBe('ExpressionSyntaxError');
    expect(error).toMatchObject({ code: 'expression', kind: 'user' });
    expect(error.message).toBe(message);
    expect([error.start, error.end]).toEqual([start, end]);
  });

  it('reports deep nesting instead of overflowing the stack', () => {
    // ARRANGE: brackets, unary operators and a long operator chain, each far past any real expression
    const sources = ['('.repeat(10_000) + 'a' + ')'.repeat(10_000), '!'.repeat(10_000) + 'a', 'a' + ' + a'.repeat(5_000), '[' .repeat(5_000)];

    for (const source of sources) {
      // ACT
      const error = syntaxError(source);

      // ASSERT
      expect(error.message).toBe('Expression is nested too deeply');
      expect(error.start).toBeGreaterThanOrEqual(0);
      expect(error.end).toBeLessThanOrEqual(source.length);
    }
  });

  it('accepts reasonable nesting', () => {
    expect(() => parseExpression('('.repeat(150) + 'a' + ')'.repeat(150))).not.toThrow();
    expect(() => parseExpression('a' + ' + a'.repeat(500))).not.toThrow();
  });

  it('parses the templates of the spec examples', () => {
    // ARRANGE: every expression in /work/shared/spec/examples at the time of writing
    const sources = [
      " (input.company.body.employees > 100 ? 50 : 10) + (contains(lower(input.person.body.title ?? ''), 'head') ? 30 : 0) ",
      " input.company.body.name ?? 'unknown' ",
      ' trigger.invoices ',
      ' index + 1 ',
      ' len(nodes.overdue) ',
      ' input[0].text ',
      ' trigger.total > variables.reviewAbove ',
      ' round(input.total * 0.19, 2) ',
      ' nodes.score.value >= 80 ',
    ];

    // ACT + ASSERT
    for (const source of sources) expect(() => parseExpression(source)).not.toThrow();
  });
});
