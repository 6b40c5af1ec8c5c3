import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../../src/engine/expr/evaluate';
import { FUNCTION_DOCS } from '../../../../src/engine/expr/functions';
import { parseExpression } from '../../../../src/engine/expr/parser';
import type { Scope } from '../../../../src/engine/expr/scope';
import { FUNCTION_SIGNATURES } from '../../../../src/engine/types/functionSignatures';
import { inferExpression } from '../../../../src/engine/types/inferExpression';
import type { TypeEnvironment } from '../../../../src/engine/types/inferExpression';
import { closedObject, describeType, membersOf, NUMBER, STRING, typeOfLiteral, UNKNOWN } from '../../../../src/engine/types/valueType';
import type { ValueType } from '../../../../src/engine/types/valueType';

interface Problem {
  code: string;
  message: string;
  text: string;
}

function check(source: string, input: ValueType, nodes: Record<string, ValueType> = {}): { type: ValueType; problems: Problem[] } {
  const problems: Problem[] = [];
  const env: TypeEnvironment = {
    root: (name) => (name === 'input' ? input : UNKNOWN),
    entry: (root, key) => (root === 'nodes' ? (nodes[key] ?? UNKNOWN) : UNKNOWN),
  };
  const type = inferExpression(parseExpression(source), source, env, (code, message, start, end) => {
    problems.push({ code, message, text: source.slice(start, end) });
  });
  return { type, problems };
}

const person = closedObject({ name: STRING, age: NUMBER, tags: { kind: 'array', element: STRING } });

describe('inferExpression: unknown-property', () => {
  it.each([
    ['input.nmae', 'nmae', "Did you mean 'name'?"],
    ['input["agee"]', 'agee', "Did you mean 'age'?"],
    ['input.tags.first', 'first', 'its properties: length'],
    ['nodes.lookup.nmae + "!"', 'nmae', "Did you mean 'name'?"],
    ['input.name.value', 'value', 'length'],
  ])('%s: the misspelt name is pointed at', (source, token, hint) => {
    const { problems } = check(source, person, { lookup: person });
    expect(problems).toHaveLength(1);
    expect(problems[0].code).toBe('unknown-property');
    expect(problems[0].text).toBe(token);
    expect(problems[0].message).toContain(hint);
  });

  it.each(['input.name', 'input.tags[0]', 'input.tags.length', 'input.name.length', 'input.tags[input.age]', 'nodes.other.anything.at.all'])(
    '%s: a property the type has (or an unknown one) is fine',
    (source) => {
      expect(check(source, person, { lookup: person }).problems).toEqual([]);
    },
  );
});

describe('inferExpression: type-mismatch', () => {
  it.each([
    ['input.name * 2', 'input.name', 'not a number'],
    ['-input.tags', 'input.tags', 'not a number'],
    ['input.age / true', 'true', 'not a number'],
    ['input.tags + 1', 'input.tags', "'+' adds numbers or joins text"],
    ['len(input.age)', 'input.age', 'len() takes'],
    ['lower(input.tags)', 'input.tags', 'lower() takes'],
    ['join(input.name, ",")', 'input.name', 'join() takes an array'],
    ['sum([true, false])', '[true, false]', 'adds up numbers'],
  ])('%s is refused at %s', (source, text, message) => {
    const { problems } = check(source, person);
    expect(problems.map((p) => [p.code, p.text])).toEqual([['type-mismatch', text]]);
    expect(problems[0].message).toContain(message);
  });

  it.each(['input.age * 2', "input.name + '!'", "'n=' + input.age", 'input.age + 1', 'round(input.age / 3, 2)', 'len(input.tags) > 1', 'number(input.name) * 2', 'upper(input.age)'])(
    '%s is accepted',
    (source) => {
      expect(check(source, person).problems).toEqual([]);
    },
  );

  it('types the result of operators and calls', () => {
    expect(check('input.age * 2', person).type).toBe(NUMBER);
    expect(check("input.name + '!'", person).type).toBe(STRING);
    expect(describeType(check('input.missing ?? 0', UNKNOWN).type)).toBe('unknown');
    expect(describeType(check('keys(input)', person).type)).toBe('string[]');
    expect(describeType(check('{ a: input.age, b: [input.name] }', person).type)).toBe('{ a, b }');
  });
});

describe('function signatures', () => {
  it('cover every built-in function', () => {
    for (const name of Object.keys(FUNCTION_DOCS)) expect(FUNCTION_SIGNATURES[name], name).toBeDefined();
  });
});

// Reads of names whose type is unknown, and one operation or call on them: whatever the operation, a value
// nothing is known of is never refused.
const unknownRead = fc
  .tuple(fc.constantFrom('input', 'item', 'nodes.a', 'trigger'), fc.array(fc.constantFrom('.p', '[0]', '["k"]', '.length'), { maxLength: 3 }))
  .map(([root, steps]) => root + steps.join(''));
const operation: fc.Arbitrary<string> = fc.oneof(
  unknownRead,
  fc.tuple(unknownRead, fc.constantFrom('+', '-', '*', '/', '%', '==', '<', '&&', '||', '??', 'in'), unknownRead).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.tuple(fc.constantFrom(...Object.keys(FUNCTION_DOCS).filter((f) => f !== 'now')), unknownRead, unknownRead).map(([f, a, b]) =>
    FUNCTION_SIGNATURES[f].params.length === 1 ? `${f}(${a})` : `${f}(${a}, ${b})`,
  ),
  fc.tuple(fc.constantFrom('-', '+', '!'), unknownRead).map(([op, a]) => `${op}${a}`),
  fc.tuple(unknownRead, unknownRead, unknownRead).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
);

describe('inferExpression (properties)', () => {
  it('says nothing when every name is of unknown type', () => {
    fc.assert(
      fc.property(operation, (source) => {
        const { problems } = check(source, UNKNOWN);
        expect(problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with evaluation: a path that exists is accepted, and its value is of the inferred type', () => {
    const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1 }).chain((input) =>
          fc.tuple(fc.constant(input), fc.constantFrom(...Object.keys(input))),
        ),
        ([input, key]) => {
          const source = `input.${key}`;
          const { type, problems } = check(source, typeOfLiteral(input));
          expect(problems).toEqual([]);
          const value = compileExpression(parseExpression(source))({ input } as unknown as Scope);
          const kinds = membersOf(type).map((m) => m.kind);
          if (type.kind !== 'unknown') expect(kinds).toContain(kindOf(value) === 'object' ? 'object' : kindOf(value));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds every misspelt key of a closed object', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{3,8}$/), { minLength: 1, maxLength: 6 }),
        fc.stringMatching(/^[a-z]{3,8}$/),
        (keys, other) => {
          fc.pre(!keys.includes(other));
          const type = closedObject(Object.fromEntries(keys.map((k) => [k, NUMBER])));
          const { problems } = check(`input.${other}`, type);
          expect(problems.map((p) => [p.code, p.text])).toEqual([['unknown-property', other]]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
