// The built-in functions of the expression language (spec section 6). Text and collection functions are total:
// an argument of the wrong type gives undefined (or false for the tests), because a template must not fail a
// run on data that is merely missing or of an unexpected shape. The numeric ones (`round`, `sum`, `min`, `max`)
// are arithmetic: given something that is not a number they throw FunctionArgumentError, which fails the
// expression unless `??` or `default()` gives a fallback (docs/decisions.md, "No silent wrong results").
// The parser checks names and argument counts.

import { deepEqual } from '../../shared/deepEqual';
import { isPlainObject } from '../../shared/isPlainObject';
import { isBlockedKey } from './member';
import { stringifyValue, toJsonText } from './stringify';

export type BuiltinFunction = (...args: unknown[]) => unknown;

/** A numeric function given a value with no number in it; the evaluator turns it into a positioned error. */
export class FunctionArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionArgumentError';
  }
}

function typeOfArgument(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string with no number';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** The number in `value` (a number or numeric string) or a FunctionArgumentError naming what it got. */
function requireNumber(value: unknown, what: string): number {
  const n = toNumber(value);
  if (n === undefined) throw new FunctionArgumentError(`needs a number as ${what}, not ${typeOfArgument(value)}`);
  return n;
}

export interface FunctionDoc {
  /** How a call looks, for completion and hover: `round(x, digits = 0)`. */
  signature: string;
  /** One or two sentences. */
  doc: string;
}

interface FunctionDefinition extends FunctionDoc {
  minArgs: number;
  /** Infinity for functions taking any number of arguments. */
  maxArgs: number;
  fn: BuiltinFunction;
}

/**
 * `needle in container` and `contains(container, needle)`: a member of an array (objects compared deeply),
 * an own key of an object, a substring of a string. Anything else is false.
 */
export function containsValue(container: unknown, needle: unknown): boolean {
  if (Array.isArray(container)) {
    if (typeof needle !== 'object' || needle === null) return container.includes(needle);
    for (const element of container) if (deepEqual(element, needle, 0)) return true;
    return false;
  }
  if (typeof container === 'string') {
    if (typeof needle === 'string') return container.includes(needle);
    if (typeof needle === 'number' || typeof needle === 'boolean') return container.includes(String(needle));
    return false;
  }
  if (typeof container === 'object' && container !== null) {
    if (typeof needle === 'number') needle = String(needle);
    return typeof needle === 'string' && !isBlockedKey(needle) && Object.hasOwn(container, needle);
  }
  return false;
}

/** A number from a number or a numeric string; anything else (and NaN) is undefined. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/** The numbers of an array (or of the arguments themselves when there are several); throws if one is not a number. */
function numbersOf(args: unknown[]): number[] {
  const fromArray = args.length === 1 && Array.isArray(args[0]);
  if (args.length === 1 && !fromArray) {
    // `sum(x)` of one value that is not an array: a number is its own sum, anything else is a mistake.
    return [requireNumber(args[0], 'its argument (or an array of numbers)')];
  }
  const list = fromArray ? (args[0] as unknown[]) : args;
  const out: number[] = [];
  for (let i = 0; i < list.length; i++) out.push(requireNumber(list[i], fromArray ? `item ${i}` : `argument ${i + 1}`));
  return out;
}

/** Text functions also take numbers and booleans as their text; other values give undefined. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function round(x: unknown, digits: unknown = 0): number | undefined {
  const n = requireNumber(x, 'x');
  if (!Number.isFinite(n)) return n;
  const d = requireNumber(digits, 'digits');
  if (!Number.isInteger(d)) throw new FunctionArgumentError(`needs a whole number of digits, not ${d}`);
  const places = Math.max(-15, Math.min(15, d));
  const factor = 10 ** places;
  // Half away from zero, as people round money; the epsilon nudge makes 1.005 round to 1.01 even though the
  // double nearest 1.005 is a hair below it.
  const rounded = Math.round(Math.abs(n) * factor * (1 + Number.EPSILON)) / factor;
  return n < 0 ? -rounded : rounded;
}

function number(x: unknown): number | undefined {
  if (typeof x === 'boolean') return x ? 1 : 0;
  return toNumber(x);
}

function len(x: unknown): number | undefined {
  if (typeof x === 'string' || Array.isArray(x)) return x.length;
  if (isPlainObject(x)) return Object.keys(x).length;
  return undefined;
}

function keys(x: unknown): unknown[] | undefined {
  if (Array.isArray(x)) return x.map((_, i) => i);
  if (isPlainObject(x)) return Object.keys(x);
  return undefined;
}

function values(x: unknown): unknown[] | undefined {
  if (Array.isArray(x)) return x.slice();
  if (isPlainObject(x)) return Object.values(x);
  return undefined;
}

function sum(...args: unknown[]): number | undefined {
  const list = numbersOf(args);
  let total = 0;
  for (const n of list) total += n;
  return total;
}

function min(...args: unknown[]): number | undefined {
  const list = numbersOf(args);
  return list.length === 0 ? undefined : Math.min(...list);
}

function max(...args: unknown[]): number | undefined {
  const list = numbersOf(args);
  return list.length === 0 ? undefined : Math.max(...list);
}

function join(list: unknown, separator: unknown = ','): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const sep = textOf(separator) ?? ',';
  let out = '';
  for (let i = 0; i < list.length; i++) out += (i === 0 ? '' : sep) + stringifyValue(list[i]);
  return out;
}

function json(x: unknown, indent?: unknown): string | undefined {
  const spaces = typeof indent === 'number' && Number.isInteger(indent) ? Math.max(0, Math.min(10, indent)) : undefined;
  return toJsonText(x, spaces);
}

function startsWith(s: unknown, prefix: unknown): boolean {
  const text = textOf(s);
  const p = textOf(prefix);
  return text !== undefined && p !== undefined && text.startsWith(p);
}

function endsWith(s: unknown, suffix: unknown): boolean {
  const text = textOf(s);
  const p = textOf(suffix);
  return text !== undefined && p !== undefined && text.endsWith(p);
}

const DEFINITIONS: Record<string, FunctionDefinition> = {
  contains: {
    signature: 'contains(a, b)',
    doc: 'True when the array `a` has the member `b` (objects compared by value), the string `a` contains `b`, or the object `a` has the key `b`. Same as `b in a`.',
    minArgs: 2, maxArgs: 2,
    fn: (a, b) => containsValue(a, b),
  },
  startsWith: {
    signature: 'startsWith(s, prefix)', doc: 'True when the string `s` starts with `prefix`.',
    minArgs: 2, maxArgs: 2, fn: startsWith,
  },
  endsWith: {
    signature: 'endsWith(s, suffix)', doc: 'True when the string `s` ends with `suffix`.',
    minArgs: 2, maxArgs: 2, fn: endsWith,
  },
  lower: {
    signature: 'lower(s)', doc: 'The string in lower case; undefined when `s` is not text.',
    minArgs: 1, maxArgs: 1, fn: (s) => textOf(s)?.toLowerCase(),
  },
  upper: {
    signature: 'upper(s)', doc: 'The string in upper case; undefined when `s` is not text.',
    minArgs: 1, maxArgs: 1, fn: (s) => textOf(s)?.toUpperCase(),
  },
  trim: {
    signature: 'trim(s)', doc: 'The string without leading and trailing whitespace.',
    minArgs: 1, maxArgs: 1, fn: (s) => textOf(s)?.trim(),
  },
  len: {
    signature: 'len(x)', doc: 'The length of a string or array, or the number of keys of an object; undefined otherwise.',
    minArgs: 1, maxArgs: 1, fn: len,
  },
  keys: {
    signature: 'keys(o)', doc: "The object's keys (an array's indexes).",
    minArgs: 1, maxArgs: 1, fn: keys,
  },
  values: {
    signature: 'values(o)', doc: "The object's values (a copy of an array).",
    minArgs: 1, maxArgs: 1, fn: values,
  },
  sum: {
    signature: 'sum(array)', doc: 'The sum of the numbers in the array (0 when empty); fails the expression if one is not a number.',
    minArgs: 1, maxArgs: Infinity, fn: sum,
  },
  min: {
    signature: 'min(array)', doc: 'The smallest number in the array, or of the arguments: `min(a, b)`.',
    minArgs: 1, maxArgs: Infinity, fn: min,
  },
  max: {
    signature: 'max(array)', doc: 'The largest number in the array, or of the arguments: `max(a, b)`.',
    minArgs: 1, maxArgs: Infinity, fn: max,
  },
  round: {
    signature: 'round(x, digits = 0)', doc: 'The number rounded to `digits` decimals, halves away from zero: `round(2.345, 2)` is 2.35. Fails the expression when `x` is not a number.',
    minArgs: 1, maxArgs: 2, fn: round,
  },
  number: {
    signature: 'number(x)', doc: 'The number in a string (`number("42")` is 42); booleans give 1 or 0; undefined when there is none.',
    minArgs: 1, maxArgs: 1, fn: number,
  },
  string: {
    signature: 'string(x)', doc: 'The value as text, as a template writes it: objects as JSON, null and undefined as "".',
    minArgs: 1, maxArgs: 1, fn: (x) => stringifyValue(x),
  },
  json: {
    signature: 'json(x, indent?)', doc: 'The value as JSON text, optionally indented.',
    minArgs: 1, maxArgs: 2, fn: json,
  },
  join: {
    signature: 'join(array, separator = ",")', doc: 'The members of the array as text, separated by `separator`.',
    minArgs: 1, maxArgs: 2, fn: join,
  },
  default: {
    signature: 'default(value, fallback)',
    doc: 'The value, or `fallback` when it is missing (undefined or null) or its expression has no meaningful result (`default(a / b, 0)`). Same as `value ?? fallback`.',
    minArgs: 2, maxArgs: 2,
    // The evaluator compiles calls of `default` itself, so that a failing first argument gives the fallback.
    fn: (value, fallback) => value ?? fallback,
  },
  now: {
    signature: 'now()', doc: 'The current date and time as an ISO 8601 string (UTC).',
    minArgs: 0, maxArgs: 0, fn: () => new Date().toISOString(),
  },
};

// A Map, so names like `constructor` or `toString` are never mistaken for functions.
const FUNCTIONS: ReadonlyMap<string, FunctionDefinition> = new Map(Object.entries(DEFINITIONS));

/** Signature and description of each built-in function, for completion and hover. */
export const FUNCTION_DOCS: Readonly<Record<string, FunctionDoc>> = Object.freeze(
  Object.fromEntries([...FUNCTIONS].map(([name, d]) => [name, { signature: d.signature, doc: d.doc }])),
);

/** The function of that name, or undefined. */
export function getFunction(name: string): BuiltinFunction | undefined {
  return FUNCTIONS.get(name)?.fn;
}

/** How many arguments the function takes: `{ min, max }` (max may be Infinity), or undefined for unknown names. */
export function functionArity(name: string): { min: number; max: number } | undefined {
  const d = FUNCTIONS.get(name);
  return d === undefined ? undefined : { min: d.minArgs, max: d.maxArgs };
}
