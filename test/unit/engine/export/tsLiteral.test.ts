// The literal printer of `weft export`: what it writes must evaluate back to the same JSON value, and read like
// hand-written TypeScript (bare keys, single quotes, short values on one line).

import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { printLiteral, quoteString, RawCode } from '../../../../src/engine/export/tsLiteral';

/** Evaluates a literal the way the loader would see it, without eval: TypeScript's own parser, then JSON. */
function parseLiteral(text: string): unknown {
  const file = ts.createSourceFile('x.ts', `(${text})`, ts.ScriptTarget.ES2022);
  const toValue = (node: ts.Node): unknown => {
    if (ts.isParenthesizedExpression(node)) return toValue(node.expression);
    if (ts.isStringLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) return -(toValue(node.operand) as number);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (node.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isArrayLiteralExpression(node)) return node.elements.map(toValue);
    if (ts.isObjectLiteralExpression(node)) {
      const out: Record<string, unknown> = {};
      for (const p of node.properties) {
        if (!ts.isPropertyAssignment(p)) throw new Error('unexpected property');
        const name = ts.isComputedPropertyName(p.name) ? (p.name.expression as ts.StringLiteral).text : (p.name as ts.Identifier | ts.StringLiteral).text;
        Object.defineProperty(out, name, { value: toValue(p.initializer), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    throw new Error(`unexpected ${ts.SyntaxKind[node.kind]}`);
  };
  return toValue((file.statements[0] as ts.ExpressionStatement).expression);
}

describe('printLiteral', () => {
  it('writes any JSON value so that it parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // The value itself, not its JSON round trip: JSON.stringify writes -0 as 0, and the literal keeps -0 (a
        // .flow.json's `-0` parses to -0).
        expect(parseLiteral(printLiteral(value))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('uses bare keys, quotes only where needed, and keeps __proto__ an own key', () => {
    expect(printLiteral({ a: 1, 'kebab-key': 'x', __proto__x: 2 })).toBe("{ a: 1, 'kebab-key': 'x', __proto__x: 2 }");
    const withProto = JSON.parse('{"__proto__": 1}') as unknown;
    expect(printLiteral(withProto)).toBe("{ ['__proto__']: 1 }");
  });

  it('breaks long values one entry a line with trailing commas, and writes code as it is', () => {
    const text = printLiteral({ list: Array.from({ length: 30 }, (_v, i) => `item-${i}`), code: new RawCode('() => {\n  return 1;\n}') });
    expect(text.split('\n')[1]).toBe('  list: [');
    expect(text).toContain("    'item-29',\n  ],");
    expect(text).toContain('  code: () => {\n    return 1;\n  },');
  });
});

describe('quoteString', () => {
  it('prefers single quotes, double ones when the text holds a single quote', () => {
    expect(quoteString('plain')).toBe("'plain'");
    expect(quoteString("it's")).toBe('"it\'s"');
    expect(quoteString(`both ' and "`)).toBe(`'both \\' and "'`);
    expect(quoteString('a\nb\u2028')).toBe("'a\\nb\\u2028'");
  });
});
