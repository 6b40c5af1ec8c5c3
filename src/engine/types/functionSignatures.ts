// The types of the expression language's built-in functions (src/engine/expr/functions.ts): which kinds of
// value each argument accepts and what the call gives. A call is a `type-mismatch` only when an argument can
// be none of the accepted kinds; unknown arguments are always accepted.

import {
  arrayOf,
  BOOLEAN,
  elementOf,
  membersOf,
  NUMBER,
  STRING,
  UNKNOWN,
  unionOf,
  withoutNull,
} from './valueType';
import type { ValueKind, ValueType } from './valueType';

export interface FunctionSignature {
  /** Accepted kinds per argument position; the last entry repeats for variadic functions when `rest` is set. */
  params: readonly ReadonlySet<ValueKind>[];
  rest?: boolean;
  returns(args: readonly ValueType[]): ValueType;
}

const kinds = (...list: ValueKind[]): ReadonlySet<ValueKind> => new Set(list);

const ANY = kinds('null', 'boolean', 'number', 'string', 'array', 'object');
const TEXT = kinds('string', 'number', 'boolean');
const NUMERIC = kinds('number', 'string');
const COLLECTION = kinds('array', 'object');
// sum/min/max take an array of numbers, or numbers as separate arguments.
const NUMBERS = kinds('array', 'number', 'string');

const returns = (type: ValueType) => (): ValueType => type;

/** Readable names of kinds, for messages. */
export function describeKinds(accepted: ReadonlySet<ValueKind>): string {
  const names = [...accepted].map((k) => (k === 'array' ? 'an array' : k === 'object' ? 'an object' : k === 'null' ? 'null' : `a ${k}`));
  return names.length <= 1 ? (names[0] ?? 'nothing') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

export const FUNCTION_SIGNATURES: Readonly<Record<string, FunctionSignature>> = {
  contains: { params: [kinds('array', 'string', 'object'), ANY], returns: returns(BOOLEAN) },
  startsWith: { params: [TEXT, TEXT], returns: returns(BOOLEAN) },
  endsWith: { params: [TEXT, TEXT], returns: returns(BOOLEAN) },
  lower: { params: [TEXT], returns: returns(STRING) },
  upper: { params: [TEXT], returns: returns(STRING) },
  trim: { params: [TEXT], returns: returns(STRING) },
  len: { params: [kinds('string', 'array', 'object')], returns: returns(NUMBER) },
  keys: {
    params: [COLLECTION],
    returns: ([o]) => arrayOf(o.kind === 'array' ? NUMBER : o.kind === 'object' ? STRING : unionOf([STRING, NUMBER])),
  },
  values: {
    params: [COLLECTION],
    returns: ([o]) => {
      if (o.kind === 'array') return arrayOf(o.element);
      if (o.kind === 'object' && !o.open && !o.index) return arrayOf(unionOf([...o.props.values()].map((p) => p.type)));
      return arrayOf(UNKNOWN);
    },
  },
  sum: { params: [NUMBERS], rest: true, returns: returns(NUMBER) },
  min: { params: [NUMBERS], rest: true, returns: returns(NUMBER) },
  max: { params: [NUMBERS], rest: true, returns: returns(NUMBER) },
  round: { params: [NUMERIC, NUMERIC], returns: returns(NUMBER) },
  number: { params: [kinds('number', 'string', 'boolean')], returns: returns(NUMBER) },
  string: { params: [ANY], returns: returns(STRING) },
  json: { params: [ANY, kinds('number')], returns: returns(STRING) },
  join: { params: [kinds('array'), TEXT], returns: returns(STRING) },
  now: { params: [], returns: returns(STRING) },
  // `default(value, fallback)` (added with run-time expression errors): the value, or the fallback.
  default: { params: [ANY, ANY], returns: ([value, fallback]) => unionOf([withoutNull(value ?? UNKNOWN), fallback ?? UNKNOWN]) },
};

/** The accepted kinds of argument `i` of a call of `name`, or undefined when anything goes. */
export function acceptedKinds(signature: FunctionSignature, i: number): ReadonlySet<ValueKind> | undefined {
  if (i < signature.params.length) return signature.params[i];
  return signature.rest ? signature.params[signature.params.length - 1] : undefined;
}

/** For sum/min/max over one array: the elements must be numbers too (numeric text counts). */
export function numericElementsRefused(name: string, args: readonly ValueType[]): boolean {
  if ((name !== 'sum' && name !== 'min' && name !== 'max') || args.length !== 1 || args[0].kind !== 'array') return false;
  return membersOf(elementOf(args[0])).every((m) => m.kind === 'boolean' || m.kind === 'object' || m.kind === 'array' || m.kind === 'null');
}
