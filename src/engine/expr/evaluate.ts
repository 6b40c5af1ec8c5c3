// Compiles a parsed expression into a tree of closures, once; evaluating is then a few function calls with no
// walk over the syntax tree. Plain paths (`nodes.fetch.body.items[0].id`) become one closure over a list of
// keys, which allocates nothing. A missing step is undefined, never a throw. An operation with no meaningful
// result does throw, an ExpressionEvaluationError with the offsets of the operation: arithmetic on a value
// that is not a number (`number / string`), a result that is not a finite number (NaN, division by zero), a
// numeric function given something else. `??` and `default()` catch it and give their fallback, which is how
// a template says a value may be missing (docs/decisions.md, "No silent wrong results").

import type { ExprNode } from './exprTypes';
import type { Scope } from './scope';
import { containsValue, FunctionArgumentError, getFunction } from './functions';
import { ExpressionEvaluationError, isExpressionEvaluationError, typeName } from './expressionEvaluationError';
import { isBlockedKey, readIndex, readMember, readOwn } from './member';

export type Evaluator = (scope: Scope) => unknown;

const ROOT_READERS: Readonly<Record<string, Evaluator>> = {
  trigger: (s) => s.trigger,
  input: (s) => s.input,
  nodes: (s) => s.nodes,
  variables: (s) => s.variables,
  secrets: (s) => s.secrets,
  execution: (s) => s.execution,
  item: (s) => s.item,
  index: (s) => s.index,
};

const returnUndefined: Evaluator = () => undefined;

/** Compiles the tree into a function of the scope. The tree comes from parseExpression and is not modified. */
export function compileExpression(node: ExprNode): Evaluator {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'identifier':
    case 'member': {
      const path = plainPath(node);
      if (path !== undefined) return compilePath(path.root, path.steps);
      // Only members reach here: an identifier is always a plain path.
      return compileMember(node as Extract<ExprNode, { kind: 'member' }>);
    }
    case 'array':
      return compileArray(node.elements.map(compileExpression));
    case 'object':
      return compileObject(node.entries.map((e) => e.key), node.entries.map((e) => compileExpression(e.value)));
    case 'call':
      if (node.callee === DEFAULT_FUNCTION && node.args.length === 2) {
        return compileDefault(compileExpression(node.args[0]), compileExpression(node.args[1]));
      }
      return compileCall(node.callee, node.args.map(compileExpression), node);
    case 'unary':
      return compileUnary(node.operator, compileExpression(node.argument), node);
    case 'binary':
      return compileBinary(node.operator, compileExpression(node.left), compileExpression(node.right), node);
    case 'conditional': {
      const test = compileExpression(node.test);
      const consequent = compileExpression(node.consequent);
      const alternate = compileExpression(node.alternate);
      return (s) => (test(s) ? consequent(s) : alternate(s));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Paths

type Step = string | number;

/** `root.a[0]["b"]` as a root name and literal steps, or undefined when a step is computed at run time. */
function plainPath(node: ExprNode): { root: string; steps: Step[] } | undefined {
  const steps: Step[] = [];
  let current = node;
  while (current.kind === 'member') {
    const property = current.property;
    if (property.kind !== 'literal') return undefined;
    const key = property.value;
    if (typeof key === 'number') steps.push(key);
    else if (typeof key === 'string') steps.push(key);
    else return undefined;
    current = current.object;
  }
  if (current.kind !== 'identifier') return undefined;
  steps.reverse();
  return { root: current.name, steps };
}

/** One step with a key known at compile time; blocked names were already turned into undefined. */
function stepReader(step: Step): (value: unknown) => unknown {
  if (typeof step === 'number') {
    if (Number.isInteger(step)) return (v) => readIndex(v, step);
    const key = String(step);
    return (v) => readOwn(v, key);
  }
  return (v) => readOwn(v, step);
}

function compilePath(root: string, steps: Step[]): Evaluator {
  // An unknown root reads nothing at run time; the flow compiler reports it as a problem.
  const readRoot = Object.hasOwn(ROOT_READERS, root) ? ROOT_READERS[root] : undefined;
  if (readRoot === undefined) return returnUndefined;
  if (steps.some((step) => typeof step === 'string' && isBlockedKey(step))) return returnUndefined;
  // The common short paths get their own closures; longer ones loop over the steps. Either way no allocation.
  if (steps.length === 0) return readRoot;
  if (steps.every((step) => typeof step === 'string')) {
    const keys = steps as string[];
    if (keys.length === 1) {
      const [k0] = keys;
      return (s) => readOwn(readRoot(s), k0);
    }
    if (keys.length === 2) {
      const [k0, k1] = keys;
      return (s) => {
        const v = readOwn(readRoot(s), k0);
        return v === undefined ? undefined : readOwn(v, k1);
      };
    }
    if (keys.length === 3) {
      const [k0, k1, k2] = keys;
      return (s) => {
        let v = readOwn(readRoot(s), k0);
        if (v === undefined) return undefined;
        v = readOwn(v, k1);
        return v === undefined ? undefined : readOwn(v, k2);
      };
    }
  }
  const readers = steps.map(stepReader);
  const count = readers.length;
  return (s) => {
    let v = readRoot(s);
    for (let i = 0; i < count; i++) {
      if (v === undefined) return undefined;
      v = readers[i](v);
    }
    return v;
  };
}

function compileMember(node: Extract<ExprNode, { kind: 'member' }>): Evaluator {
  const object = compileExpression(node.object);
  const property = node.property;
  if (property.kind === 'literal' && (typeof property.value === 'string' || typeof property.value === 'number')) {
    if (typeof property.value === 'string' && isBlockedKey(property.value)) return returnUndefined;
    const read = stepReader(property.value);
    return (s) => read(object(s));
  }
  const key = compileExpression(property);
  return (s) => readMember(object(s), key(s));
}

// ---------------------------------------------------------------------------------------------------------
// Literals and calls

function compileArray(elements: Evaluator[]): Evaluator {
  const count = elements.length;
  return (s) => {
    const out = new Array<unknown>(count);
    for (let i = 0; i < count; i++) out[i] = elements[i](s);
    return out;
  };
}

function compileObject(keys: string[], values: Evaluator[]): Evaluator {
  const count = keys.length;
  return (s) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) defineField(out, keys[i], values[i](s));
    return out;
  };
}

/** Sets a field; `__proto__` becomes an ordinary key instead of replacing the object's prototype. */
export function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** `default(value, fallback)`: the fallback when the value is missing (undefined or null) or has no meaningful result. */
const DEFAULT_FUNCTION = 'default';

function compileDefault(value: Evaluator, fallback: Evaluator): Evaluator {
  return (s) => orFallback(value, fallback, s);
}

/** `value ?? fallback`, where a value with no meaningful result counts as missing too. */
function orFallback(value: Evaluator, fallback: Evaluator, s: Scope): unknown {
  let v: unknown;
  try {
    v = value(s);
  } catch (error) {
    if (isExpressionEvaluationError(error)) return fallback(s);
    throw error;
  }
  return v ?? fallback(s);
}

type CallNode = Extract<ExprNode, { kind: 'call' }>;

/**
 * What a built-in's throw means. A function that says its argument makes no sense (FunctionArgumentError:
 * `round("A-42")`) fails the expression at the call; anything else it throws on values no one foresaw gives
 * undefined, as before.
 */
function callFailure(error: unknown, node: CallNode): undefined {
  if (error instanceof FunctionArgumentError) throw new ExpressionEvaluationError(`${node.callee}() ${error.message}`, node.start, node.end);
  return undefined;
}

function compileCall(name: string, args: Evaluator[], node: CallNode): Evaluator {
  const fn = getFunction(name);
  if (fn === undefined) return returnUndefined;
  // One closure per arity, calling `fn` directly: no argument array on the common paths.
  switch (args.length) {
    case 0:
      return () => {
        try {
          return fn();
        } catch (error) {
          return callFailure(error, node);
        }
      };
    case 1: {
      const [a] = args;
      return (s) => {
        const x = a(s);
        try {
          return fn(x);
        } catch (error) {
          return callFailure(error, node);
        }
      };
    }
    case 2: {
      const [a, b] = args;
      return (s) => {
        const x = a(s);
        const y = b(s);
        try {
          return fn(x, y);
        } catch (error) {
          return callFailure(error, node);
        }
      };
    }
    default:
      return (s) => {
        const values = args.map((a) => a(s));
        try {
          return fn(...values);
        } catch (error) {
          return callFailure(error, node);
        }
      };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Operators

/** Runs a JavaScript operator that may throw on exotic operands (see the file comment): undefined instead. */
function guarded<T>(op: () => T): T | undefined {
  try {
    return op();
  } catch {
    return undefined;
  }
}

type UnaryNode = Extract<ExprNode, { kind: 'unary' }>;
type BinaryNode = Extract<ExprNode, { kind: 'binary' }>;

function compileUnary(operator: string, argument: Evaluator, node: UnaryNode): Evaluator {
  switch (operator) {
    case '!':
      return (s) => !argument(s);
    case '-':
      return (s) => {
        const v = argument(s);
        if (typeof v === 'number') return -v;
        throw new ExpressionEvaluationError(`cannot negate ${typeName(v)}`, node.start, node.end);
      };
    case '+':
      return (s) => {
        const v = argument(s);
        if (typeof v === 'number') return v;
        throw new ExpressionEvaluationError(`cannot apply unary + to ${typeName(v)}; use number(x) to read a number from text`, node.start, node.end);
      };
    default:
      return returnUndefined;
  }
}

type Operands = (a: unknown, b: unknown) => unknown;

// Relational operators have a fast path for the usual operand types, and fall back to JavaScript's own
// operator (guarded) for the rest: a comparison is a test, and a test of values that do not compare is false.
const RELATIONAL: Record<string, Operands> = {
  '<': (a, b) => guarded(() => (a as number) < (b as number)) ?? false,
  '>': (a, b) => guarded(() => (a as number) > (b as number)) ?? false,
  '<=': (a, b) => guarded(() => (a as number) <= (b as number)) ?? false,
  '>=': (a, b) => guarded(() => (a as number) >= (b as number)) ?? false,
};

/** What an arithmetic operator on these operand types would mean, for the message when it means nothing. */
const ARITHMETIC_REFUSAL: Record<string, (a: string, b: string) => string> = {
  '+': (a, b) => `cannot add ${b} to ${a}`,
  '-': (a, b) => `cannot subtract ${b} from ${a}`,
  '*': (a, b) => `cannot multiply ${a} by ${b}`,
  '/': (a, b) => `cannot divide ${a} by ${b}`,
  '%': (a, b) => `cannot take the remainder of ${a} divided by ${b}`,
};

function compileBinary(operator: string, left: Evaluator, right: Evaluator, node: BinaryNode): Evaluator {
  switch (operator) {
    case '&&':
      return (s) => left(s) && right(s);
    case '||':
      return (s) => left(s) || right(s);
    case '??':
      return (s) => orFallback(left, right, s);
    case '==':
      return (s) => left(s) === right(s);
    case '!=':
      return (s) => left(s) !== right(s);
    case 'in':
      return (s) => {
        const needle = left(s);
        return containsValue(right(s), needle);
      };
    case '+':
      return (s) => {
        const a = left(s);
        const b = right(s);
        if (typeof a === 'number' && typeof b === 'number') return finite(a + b, node, a, b);
        if (typeof a === 'string') {
          if (typeof b === 'string') return a + b;
          // Text and a number or boolean join as text ("Order " + 42), as people write in JavaScript.
          if (typeof b === 'number' || typeof b === 'boolean') return a + String(b);
        } else if (typeof b === 'string' && (typeof a === 'number' || typeof a === 'boolean')) {
          return String(a) + b;
        }
        throw refusal(node, a, b);
      };
    case '-':
      return numeric(left, right, node, (a, b) => a - b);
    case '*':
      return numeric(left, right, node, (a, b) => a * b);
    case '/':
      return numeric(left, right, node, (a, b) => a / b);
    case '%':
      return numeric(left, right, node, (a, b) => a % b);
    case '<':
      return relational(left, right, (a, b) => a < b, RELATIONAL['<']);
    case '>':
      return relational(left, right, (a, b) => a > b, RELATIONAL['>']);
    case '<=':
      return relational(left, right, (a, b) => a <= b, RELATIONAL['<=']);
    case '>=':
      return relational(left, right, (a, b) => a >= b, RELATIONAL['>=']);
    default:
      return returnUndefined;
  }
}

function refusal(node: BinaryNode, a: unknown, b: unknown): ExpressionEvaluationError {
  const describe = ARITHMETIC_REFUSAL[node.operator];
  return new ExpressionEvaluationError(describe(typeName(a), typeName(b)), node.start, node.end);
}

/** The result, when it is a number JSON can hold; NaN and the infinities are not results. */
function finite(result: number, node: BinaryNode, a: number, b: number): number {
  // `r - r` is 0 for every finite r, NaN for NaN and the infinities: one subtraction on the hot path.
  if (result - result === 0) return result;
  if ((node.operator === '/' || node.operator === '%') && b === 0) {
    throw new ExpressionEvaluationError(`cannot divide ${a} by zero`, node.start, node.end);
  }
  throw new ExpressionEvaluationError(`the result of ${a} ${node.operator} ${b} is not a finite number`, node.start, node.end);
}

function numeric(left: Evaluator, right: Evaluator, node: BinaryNode, compute: (a: number, b: number) => number): Evaluator {
  return (s) => {
    const a = left(s);
    const b = right(s);
    if (typeof a === 'number' && typeof b === 'number') return finite(compute(a, b), node, a, b);
    throw refusal(node, a, b);
  };
}

function relational(
  left: Evaluator,
  right: Evaluator,
  fast: (a: number | string, b: number | string) => boolean,
  slow: Operands,
): Evaluator {
  return (s) => {
    const a = left(s);
    const b = right(s);
    if ((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')) return fast(a, b);
    return slow(a, b);
  };
}
