// Compiles a parsed expression into a tree of closures, once; evaluating is then a few function calls with no
// walk over the syntax tree. Plain paths (`nodes.fetch.body.items[0].id`) become one closure over a list of
// keys, which allocates nothing. Evaluation never throws: a missing step is undefined, a built-in function
// returns undefined on data it cannot use, and an operator that JavaScript would make throw (an object whose
// `toString` is not a function, a symbol) gives undefined.

import type { ExprNode } from './exprTypes';
import type { Scope } from './scope';
import { containsValue, getFunction } from './functions';
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
      return compileCall(node.callee, node.args.map(compileExpression));
    case 'unary':
      return compileUnary(node.operator, compileExpression(node.argument));
    case 'binary':
      return compileBinary(node.operator, compileExpression(node.left), compileExpression(node.right));
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

function compileCall(name: string, args: Evaluator[]): Evaluator {
  const fn = getFunction(name);
  if (fn === undefined) return returnUndefined;
  // The functions are written to be total; the try blocks keep that promise for values no one foresaw
  // (they cost nothing until something throws).
  switch (args.length) {
    case 0:
      return () => {
        try {
          return fn();
        } catch {
          return undefined;
        }
      };
    case 1: {
      const [a] = args;
      return (s) => {
        const x = a(s);
        try {
          return fn(x);
        } catch {
          return undefined;
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
        } catch {
          return undefined;
        }
      };
    }
    default:
      return (s) => {
        const values = args.map((a) => a(s));
        try {
          return fn(...values);
        } catch {
          return undefined;
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

function compileUnary(operator: string, argument: Evaluator): Evaluator {
  switch (operator) {
    case '!':
      return (s) => !argument(s);
    case '-':
      return (s) => {
        const v = argument(s);
        return typeof v === 'number' ? -v : guarded(() => -(v as number));
      };
    case '+':
      return (s) => {
        const v = argument(s);
        return typeof v === 'number' ? v : guarded(() => +(v as number));
      };
    default:
      return returnUndefined;
  }
}

type Operands = (a: unknown, b: unknown) => unknown;

// Each arithmetic or relational operator has a fast path for the usual operand types, and falls back to
// JavaScript's own operator (guarded) for the rest.
const ARITHMETIC: Record<string, Operands> = {
  '+': (a, b) => guarded(() => (a as number) + (b as number)),
  '-': (a, b) => guarded(() => (a as number) - (b as number)),
  '*': (a, b) => guarded(() => (a as number) * (b as number)),
  '/': (a, b) => guarded(() => (a as number) / (b as number)),
  '%': (a, b) => guarded(() => (a as number) % (b as number)),
  '<': (a, b) => guarded(() => (a as number) < (b as number)) ?? false,
  '>': (a, b) => guarded(() => (a as number) > (b as number)) ?? false,
  '<=': (a, b) => guarded(() => (a as number) <= (b as number)) ?? false,
  '>=': (a, b) => guarded(() => (a as number) >= (b as number)) ?? false,
};

function compileBinary(operator: string, left: Evaluator, right: Evaluator): Evaluator {
  switch (operator) {
    case '&&':
      return (s) => left(s) && right(s);
    case '||':
      return (s) => left(s) || right(s);
    case '??':
      return (s) => left(s) ?? right(s);
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
        if (typeof a === 'number' && typeof b === 'number') return a + b;
        if (typeof a === 'string' && typeof b === 'string') return a + b;
        return ARITHMETIC['+'](a, b);
      };
    case '-':
      return numeric(left, right, (a, b) => a - b, ARITHMETIC['-']);
    case '*':
      return numeric(left, right, (a, b) => a * b, ARITHMETIC['*']);
    case '/':
      return numeric(left, right, (a, b) => a / b, ARITHMETIC['/']);
    case '%':
      return numeric(left, right, (a, b) => a % b, ARITHMETIC['%']);
    case '<':
      return relational(left, right, (a, b) => a < b, ARITHMETIC['<']);
    case '>':
      return relational(left, right, (a, b) => a > b, ARITHMETIC['>']);
    case '<=':
      return relational(left, right, (a, b) => a <= b, ARITHMETIC['<=']);
    case '>=':
      return relational(left, right, (a, b) => a >= b, ARITHMETIC['>=']);
    default:
      return returnUndefined;
  }
}

function numeric(left: Evaluator, right: Evaluator, fast: (a: number, b: number) => number, slow: Operands): Evaluator {
  return (s) => {
    const a = left(s);
    const b = right(s);
    return typeof a === 'number' && typeof b === 'number' ? fast(a, b) : slow(a, b);
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
