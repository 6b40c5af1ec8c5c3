// The type of an expression (spec section 6) and the two checks made on the way: a read of a property the
// value's type does not have (`unknown-property`) and an operator or function applied to a value it refuses
// (`type-mismatch`). Both stay silent wherever a type is unknown, and a union is refused only when none of
// its members would do. Offsets are into the expression source.

import type { ExprNode } from '../expr/exprTypes';
import { closestName } from '../model/closestName';
import { acceptedKinds, describeKinds, FUNCTION_SIGNATURES, numericElementsRefused } from './functionSignatures';
import {
  arrayOf,
  BOOLEAN,
  describeType,
  isOpaque,
  mayBe,
  membersOf,
  NUMBER,
  objectOf,
  propertyTypeOf,
  readProperty,
  STRING,
  typeOfLiteral,
  UNKNOWN,
  unionOf,
  unionOfTwo,
  withoutNull,
} from './valueType';
import type { ValueKind, ValueType } from './valueType';

/** What the names of an expression's scope are. */
export interface TypeEnvironment {
  /** `trigger`, `input`, `secrets`, `execution`, `item`, `index`. */
  root(name: string): ValueType;
  /**
   * `nodes.<key>` and `variables.<key>`: the first step of these is the compiler's reference check
   * (unknown-reference), so a missing key here is silent. `guarded`: the read has a fallback (`??`, `||`, a test).
   */
  entry(root: 'nodes' | 'variables', key: string, start: number, end: number, guarded: boolean): ValueType;
}

export type TypeProblemCode = 'unknown-property' | 'type-mismatch';

export type TypeProblemReport = (
  code: TypeProblemCode,
  message: string,
  start: number,
  end: number,
  data?: Record<string, unknown>,
) => void;

const NUMERIC: ReadonlySet<ValueKind> = new Set(['number']);
const CONCATENABLE: ReadonlySet<ValueKind> = new Set(['string', 'number', 'boolean']);
const ARITHMETIC_WORDS: Record<string, string> = { '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'take a remainder' };

/** The type of `node`; problems go to `report`. `source` is the expression's text, for messages. */
export function inferExpression(node: ExprNode, source: string, env: TypeEnvironment, report: TypeProblemReport): ValueType {
  return new ExpressionTyper(env, report).typeOf(node, source);
}

/**
 * Types expressions one after another in one environment and with one report: a compile types thousands of
 * templates, and one typer for all of them keeps that from allocating per template (bench --types).
 */
export class ExpressionTyper {
  private source = '';

  constructor(
    private readonly env: TypeEnvironment,
    private readonly report: TypeProblemReport,
  ) {}

  /** The type of `node`, whose text is `source`. */
  typeOf(node: ExprNode, source: string): ValueType {
    this.source = source;
    return this.infer(node, false);
  }

  private infer(node: ExprNode, guarded: boolean): ValueType {
    switch (node.kind) {
      case 'literal':
        return typeOfLiteral(node.value);
      case 'identifier':
        return node.name === 'nodes' || node.name === 'variables' ? UNKNOWN : this.env.root(node.name);
      // No closures in this function: V8 would allocate their context on every call, and it is called for every
      // part of every expression of a flow.
      case 'array':
        return this.arrayLiteral(node, guarded);
      case 'object':
        return this.objectLiteral(node, guarded);
      case 'member':
        return this.member(node, guarded);
      case 'call':
        return this.call(node, guarded);
      case 'unary': {
        const argument = this.infer(node.argument, guarded);
        if (node.operator === '!') return BOOLEAN;
        this.requireNumber(argument, node.argument, `apply unary '${node.operator}' to`);
        return NUMBER;
      }
      case 'binary':
        return this.binary(node, guarded);
      case 'conditional':
        this.infer(node.test, true);
        return unionOfTwo(this.infer(node.consequent, guarded), this.infer(node.alternate, guarded));
    }
  }

  private arrayLiteral(node: Extract<ExprNode, { kind: 'array' }>, guarded: boolean): ValueType {
    return arrayOf(node.elements.length === 0 ? UNKNOWN : unionOf(node.elements.map((e) => this.infer(e, guarded))));
  }

  private objectLiteral(node: Extract<ExprNode, { kind: 'object' }>, guarded: boolean): ValueType {
    return objectOf(node.entries.map((e) => [e.key, { type: this.infer(e.value, guarded), optional: false }]));
  }

  private member(node: Extract<ExprNode, { kind: 'member' }>, guarded: boolean): ValueType {
    const property = node.property;
    const key = property.kind === 'literal' && (typeof property.value === 'string' || typeof property.value === 'number') ? property.value : undefined;
    const object = node.object;
    if (object.kind === 'identifier' && (object.name === 'nodes' || object.name === 'variables')) {
      if (key === undefined) {
        this.infer(property, guarded);
        return UNKNOWN;
      }
      return this.env.entry(object.name, String(key), node.start, node.end, guarded);
    }
    const objectType = this.infer(object, guarded);
    if (key === undefined) {
      this.infer(property, guarded);
      // A key computed at run time: an element or an index value when the type says what they are.
      if (objectType.kind === 'array') return objectType.element;
      if (objectType.kind === 'object' && objectType.index && objectType.props.size === 0) return objectType.index;
      return UNKNOWN;
    }
    const found = propertyTypeOf(objectType, key);
    if (found !== undefined) return found;
    const read = readProperty(objectType, key);
    this.unknownProperty(String(key), node, objectType, read.found ? [] : read.known);
    return UNKNOWN;
  }

  private unknownProperty(key: string, node: Extract<ExprNode, { kind: 'member' }>, objectType: ValueType, known: string[]): void {
    const property = node.property;
    // The name itself: inside the quotes of `a["b"]`, the identifier of `a.b`.
    const bracketed = node.computed;
    const start = bracketed && typeof (property as { value: unknown }).value === 'string' ? property.start + 1 : property.start;
    const end = bracketed && typeof (property as { value: unknown }).value === 'string' ? property.end - 1 : property.end;
    const what = this.source.slice(node.object.start, node.object.end).trim();
    const suggestion = closestName(key, known);
    const has = known.length === 0 ? 'it has no properties' : `its properties: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', ...' : ''}`;
    const message = suggestion
      ? `Property '${key}' does not exist on ${what} (${describeType(objectType)}). Did you mean '${suggestion}'?`
      : `Property '${key}' does not exist on ${what} (${describeType(objectType)}): ${has}`;
    const data: Record<string, unknown> = { property: key, known, bracketed };
    if (suggestion) data.suggestion = suggestion;
    this.report('unknown-property', message, start, end, data);
  }

  private call(node: Extract<ExprNode, { kind: 'call' }>, guarded: boolean): ValueType {
    // `default(a, b)` is a fallback like `a ?? b`: a read inside its first argument is guarded.
    const args = new Array<ValueType>(node.args.length);
    for (let i = 0; i < node.args.length; i++) args[i] = this.infer(node.args[i], guarded || (node.callee === 'default' && i === 0));
    const signature = Object.hasOwn(FUNCTION_SIGNATURES, node.callee) ? FUNCTION_SIGNATURES[node.callee] : undefined;
    if (!signature) return UNKNOWN;
    for (let i = 0; i < args.length; i++) {
      const type = args[i];
      const accepted = acceptedKinds(signature, i);
      if (!accepted || mayBe(type, accepted)) continue;
      const arg = node.args[i];
      this.report(
        'type-mismatch',
        `${node.callee}() takes ${describeKinds(accepted)} as argument ${i + 1}, but ${this.text(arg)} is ${describeType(type)}`,
        arg.start,
        arg.end,
        { function: node.callee, argument: i, type: describeType(type) },
      );
    }
    if (numericElementsRefused(node.callee, args)) {
      const arg = node.args[0];
      this.report('type-mismatch', `${node.callee}() adds up numbers, but ${this.text(arg)} is ${describeType(args[0])}`, arg.start, arg.end, {
        function: node.callee,
        argument: 0,
        type: describeType(args[0]),
      });
    }
    return signature.returns(args);
  }

  private binary(node: Extract<ExprNode, { kind: 'binary' }>, guarded: boolean): ValueType {
    const op = node.operator;
    // A read on the left of a test says what to do when it is missing; a fallback chain
    // (`nodes.a ?? nodes.b`, one of two branches) is written knowing any part may be missing.
    const fallback = op === '??' || op === '||';
    const left = this.infer(node.left, guarded || fallback || op === '&&');
    const right = this.infer(node.right, guarded || fallback);
    switch (op) {
      case '??':
        return unionOfTwo(withoutNull(left), right);
      case '||':
      case '&&':
        return unionOfTwo(left, right);
      case '==':
      case '!=':
      case '<':
      case '>':
      case '<=':
      case '>=':
      case 'in':
        return BOOLEAN;
      case '+':
        return this.plus(node, left, right);
      default:
        if (ARITHMETIC_WORDS[op] !== undefined) {
          const word = ARITHMETIC_WORDS[op];
          const leftOk = this.requireNumber(left, node.left, `${word} with`);
          if (leftOk) this.requireNumber(right, node.right, `${word} with`);
          return NUMBER;
        }
        return UNKNOWN;
    }
  }

  /** `+` adds numbers, and joins text with text, a number or a boolean; anything else means nothing. */
  private plus(node: Extract<ExprNode, { kind: 'binary' }>, left: ValueType, right: ValueType): ValueType {
    if (isOpaque(left) || isOpaque(right)) return isOnly(left, 'string') || isOnly(right, 'string') ? STRING : UNKNOWN;
    // The common case, one kind on each side, without the member lists.
    if (left.kind !== 'union' && right.kind !== 'union') {
      if (left.kind === 'number' && right.kind === 'number') return NUMBER;
      if ((left.kind === 'string' && CONCATENABLE.has(right.kind)) || (right.kind === 'string' && CONCATENABLE.has(left.kind))) return STRING;
    }
    let number = false;
    let text = false;
    for (const a of membersOf(left)) {
      for (const b of membersOf(right)) {
        if (isOpaqueMember(a) || isOpaqueMember(b)) return UNKNOWN;
        if (a.kind === 'number' && b.kind === 'number') number = true;
        else if ((a.kind === 'string' && CONCATENABLE.has(b.kind)) || (b.kind === 'string' && CONCATENABLE.has(a.kind))) text = true;
      }
    }
    if (number || text) return number && text ? unionOf([NUMBER, STRING]) : number ? NUMBER : STRING;
    // Point at the operand that no `+` takes, else at the whole sum (`1 + true`).
    const culprit = !mayBe(left, CONCATENABLE) ? node.left : !mayBe(right, CONCATENABLE) ? node.right : node;
    const culpritType = culprit === node.left ? left : culprit === node.right ? right : undefined;
    const message =
      culpritType === undefined
        ? `'+' adds numbers or joins text, but here it gets ${describeType(left)} and ${describeType(right)}`
        : `'+' adds numbers or joins text, but ${this.text(culprit)} is ${describeType(culpritType)}`;
    this.report('type-mismatch', message, culprit.start, culprit.end, { operator: '+', left: describeType(left), right: describeType(right) });
    return UNKNOWN;
  }

  /** Reports an operand that can be no number; true when it may be one. */
  private requireNumber(type: ValueType, operand: ExprNode, what: string): boolean {
    if (mayBe(type, NUMERIC)) return true;
    const hint = mayBe(type, new Set<ValueKind>(['string'])) ? '; number(x) reads a number from text' : '';
    this.report('type-mismatch', `Cannot ${what} ${this.text(operand)}: it is ${describeType(type)}, not a number${hint}`, operand.start, operand.end, {
      expected: 'number',
      type: describeType(type),
    });
    return false;
  }

  private text(node: ExprNode): string {
    return this.source.slice(node.start, node.end).trim();
  }
}

function isOnly(type: ValueType, kind: ValueKind): boolean {
  return type.kind === 'union' ? type.members.every((m) => m.kind === kind) : type.kind === kind;
}

function isOpaqueMember(type: ValueType): boolean {
  return type.kind === 'unknown' || type.kind === 'any-json';
}
