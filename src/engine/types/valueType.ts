// The small type language of the compile-time checks (docs/decisions.md, "Typed templates"): what a value
// read by a template can be. `unknown` means nothing is known and silences every check; `any-json` is some
// JSON value of no known shape (silent too). An object is closed when its keys are all known: reading another
// key is an `unknown-property`. Types are built from JSON Schema, from zod schemas (a node type's
// outputSchema) and from literal JSON; they are immutable and shared.

import { z } from 'zod';

export interface PropertyType {
  type: ValueType;
  /** May be absent from the value. */
  optional: boolean;
}

export type ValueType =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'any-json' }
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'number' }
  | { readonly kind: 'string' }
  | { readonly kind: 'array'; readonly element: ValueType }
  | {
      readonly kind: 'object';
      readonly props: ReadonlyMap<string, PropertyType>;
      /** Other keys may be present, of unknown type. */
      readonly open: boolean;
      /** Other keys may be present, of this type (JSON Schema `additionalProperties: {...}`, a record). */
      readonly index?: ValueType;
    }
  | { readonly kind: 'union'; readonly members: readonly ValueType[] };

export type ValueKind = ValueType['kind'];

export const UNKNOWN: ValueType = { kind: 'unknown' };
export const ANY_JSON: ValueType = { kind: 'any-json' };
export const NULL: ValueType = { kind: 'null' };
export const BOOLEAN: ValueType = { kind: 'boolean' };
export const NUMBER: ValueType = { kind: 'number' };
export const STRING: ValueType = { kind: 'string' };

export function arrayOf(element: ValueType): ValueType {
  return { kind: 'array', element };
}

export function objectOf(props: Iterable<[string, PropertyType]> = [], options: { open?: boolean; index?: ValueType } = {}): ValueType {
  const type: { kind: 'object'; props: ReadonlyMap<string, PropertyType>; open: boolean; index?: ValueType } = {
    kind: 'object',
    props: new Map(props),
    open: options.open ?? false,
  };
  if (options.index) type.index = options.index;
  return type;
}

/** A closed object with these properties; the map becomes the type's own (no copy), so it must not change after. */
export function closedObjectOf(props: Map<string, PropertyType>): ValueType {
  return { kind: 'object', props, open: false };
}

/** A closed object of required properties: `closedObject({ a: NUMBER })`. */
export function closedObject(props: Record<string, ValueType>, optional: readonly string[] = []): ValueType {
  return objectOf(Object.entries(props).map(([key, type]) => [key, { type, optional: optional.includes(key) }]));
}

/** An object whose keys are not known. */
export const OPEN_OBJECT: ValueType = objectOf([], { open: true });

/** Most members a union keeps before it gives up and becomes unknown (keeps checks cheap on odd schemas). */
const MAX_UNION_MEMBERS = 32;

/** The union of the types, flattened, with repeated scalars dropped; unknown absorbs everything. */
export function unionOf(types: readonly ValueType[]): ValueType {
  const members: ValueType[] = [];
  for (const type of types) if (!addMember(members, type)) return UNKNOWN;
  if (members.some((m) => m.kind === 'any-json')) return ANY_JSON;
  if (members.length === 0) return UNKNOWN;
  if (members.length === 1) return members[0];
  if (members.length > MAX_UNION_MEMBERS) return UNKNOWN;
  return { kind: 'union', members };
}

/** Adds a type's members to a union being built; false when it is unknown (which absorbs the union). */
function addMember(members: ValueType[], type: ValueType): boolean {
  if (type.kind === 'unknown') return false;
  if (type.kind === 'union') {
    for (const member of type.members) if (!addMember(members, member)) return false;
    return true;
  }
  if (type.kind !== 'array' && type.kind !== 'object' && members.some((m) => m.kind === type.kind)) return true;
  if (members.includes(type)) return true;
  members.push(type);
  return true;
}

/** `unionOf([a, b])`, without building anything in the common cases (`a ?? b`, `a ? b : c` of one type). */
export function unionOfTwo(a: ValueType, b: ValueType): ValueType {
  if (a.kind === 'unknown' || b.kind === 'unknown') return UNKNOWN;
  if (a === b && a.kind !== 'union') return a;
  if (a.kind === b.kind && isScalar(a)) return a;
  return unionOf([a, b]);
}

function isScalar(type: ValueType): boolean {
  return type.kind === 'null' || type.kind === 'boolean' || type.kind === 'number' || type.kind === 'string';
}

/** The members of a type: itself, or a union's members. */
export function membersOf(type: ValueType): readonly ValueType[] {
  return type.kind === 'union' ? type.members : [type];
}

/** True when nothing is known of the value's shape: checks stay silent. */
export function isOpaque(type: ValueType): boolean {
  return type.kind === 'unknown' || type.kind === 'any-json';
}

/** True when the value may be of one of the kinds (an opaque type may be anything). */
export function mayBe(type: ValueType, kinds: ReadonlySet<ValueKind>): boolean {
  if (type.kind !== 'union') return isOpaque(type) || kinds.has(type.kind);
  return type.members.some((m) => isOpaque(m) || kinds.has(m.kind));
}

/** The type with null taken out (what `a ?? b` keeps of `a`). */
export function withoutNull(type: ValueType): ValueType {
  if (type.kind !== 'union') return type.kind === 'null' ? UNKNOWN : type;
  return unionOf(type.members.filter((m) => m.kind !== 'null'));
}

// ---------------------------------------------------------------------------------------------------------
// Reading a property

export type PropertyRead =
  | { found: true; type: ValueType }
  /** The type has no such property: `known` lists the keys it has, for "did you mean". */
  | { found: false; known: string[] };

const INDEX = /^(0|[1-9]\d*)$/;

/**
 * The type `readProperty` finds for `key`, or undefined when it finds none; the common reads (a declared
 * property, an open object, an opaque value) build nothing.
 */
export function propertyTypeOf(type: ValueType, key: string | number): ValueType | undefined {
  switch (type.kind) {
    case 'unknown':
    case 'any-json':
      return type;
    case 'object': {
      const prop = type.props.get(String(key));
      if (prop) return prop.type;
      if (type.index) return type.index;
      return type.open ? UNKNOWN : undefined;
    }
    default: {
      const read = readProperty(type, key);
      return read.found ? read.type : undefined;
    }
  }
}

/** What reading `key` of a value of this type gives, as the run-time path reader does (src/engine/expr/member.ts). */
export function readProperty(type: ValueType, key: string | number): PropertyRead {
  switch (type.kind) {
    case 'unknown':
    case 'any-json':
      return { found: true, type };
    case 'null':
      // A read through null gives undefined; whether that is meant is not a question of property names.
      return { found: true, type: UNKNOWN };
    case 'object': {
      const prop = type.props.get(String(key));
      if (prop) return { found: true, type: prop.type };
      if (type.index) return { found: true, type: type.index };
      if (type.open) return { found: true, type: UNKNOWN };
      return { found: false, known: [...type.props.keys()] };
    }
    case 'array':
      if (typeof key === 'number' || INDEX.test(key)) return { found: true, type: type.element };
      if (key === 'length') return { found: true, type: NUMBER };
      return { found: false, known: ['length'] };
    case 'string':
      if (typeof key === 'number' || INDEX.test(key)) return { found: true, type: STRING };
      if (key === 'length') return { found: true, type: NUMBER };
      return { found: false, known: ['length'] };
    case 'number':
    case 'boolean':
      return { found: false, known: [] };
    case 'union': {
      const found: ValueType[] = [];
      const known = new Set<string>();
      let anyFound = false;
      for (const member of type.members) {
        if (member.kind === 'null') continue;
        const read = readProperty(member, key);
        if (read.found) {
          anyFound = true;
          found.push(read.type);
        } else {
          for (const k of read.known) known.add(k);
        }
      }
      if (anyFound) return { found: true, type: unionOf(found) };
      // Only nulls: see the null case.
      if (type.members.every((m) => m.kind === 'null')) return { found: true, type: UNKNOWN };
      return { found: false, known: [...known] };
    }
  }
}

/** The type of an element of an array of this type (unknown when it may be no array). */
export function elementOf(type: ValueType): ValueType {
  if (type.kind === 'array') return type.element;
  if (type.kind === 'union' && type.members.every((m) => m.kind === 'array')) {
    return unionOf(type.members.map((m) => (m as { element: ValueType }).element));
  }
  return UNKNOWN;
}

/** A short description for messages: `string`, `number[]`, `{ id, name }`. */
export function describeType(type: ValueType, depth = 0): string {
  switch (type.kind) {
    case 'array':
      return depth > 1 ? 'array' : `${wrap(describeType(type.element, depth + 1), type.element)}[]`;
    case 'object': {
      if (type.props.size === 0) return 'object';
      if (depth > 0) return 'object';
      const keys = [...type.props.keys()];
      const shown = keys.slice(0, 6).join(', ') + (keys.length > 6 ? ', ...' : '');
      return `{ ${shown}${type.open || type.index ? ', ...' : ''} }`;
    }
    case 'union':
      return type.members.map((m) => describeType(m, depth + 1)).join(' | ');
    default:
      return type.kind;
  }
}

function wrap(text: string, type: ValueType): string {
  return type.kind === 'union' ? `(${text})` : text;
}

// ---------------------------------------------------------------------------------------------------------
// From values and schemas

const MAX_DEPTH = 64;

/** The type of a literal JSON value: its exact shape, objects closed. */
export function typeOfLiteral(value: unknown, depth = 0): ValueType {
  if (value === null) return NULL;
  switch (typeof value) {
    case 'string':
      return STRING;
    case 'number':
      return NUMBER;
    case 'boolean':
      return BOOLEAN;
    case 'object': {
      if (depth > MAX_DEPTH) return UNKNOWN;
      if (Array.isArray(value)) {
        return arrayOf(value.length === 0 ? UNKNOWN : unionOf(value.map((v) => typeOfLiteral(v, depth + 1))));
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return UNKNOWN;
      return objectOf(Object.entries(value).map(([k, v]) => [k, { type: typeOfLiteral(v, depth + 1), optional: false }]));
    }
    default:
      return UNKNOWN;
  }
}

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The type of the values a JSON Schema accepts. An object schema with `properties` is closed unless
 * `additionalProperties` (or `patternProperties`) lets other keys in: a read of an undeclared key is most
 * likely a typo, and a schema that means to allow any key says so. Local `$ref`s (`#/...`) are followed;
 * anything this does not understand is unknown.
 */
export function fromJsonSchema(schema: unknown, root: unknown = schema, depth = 0): ValueType {
  if (schema === true) return ANY_JSON;
  if (!isSchema(schema) || depth > MAX_DEPTH) return UNKNOWN;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(root, schema.$ref);
    return target === undefined ? UNKNOWN : fromJsonSchema(target, root, depth + 1);
  }
  if ('const' in schema) return typeOfLiteral(schema.const);
  if (Array.isArray(schema.enum)) return unionOf(schema.enum.map((v) => typeOfLiteral(v)));
  const alternatives = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined) as unknown[] | undefined;
  if (alternatives) {
    const own = { ...schema };
    delete own.anyOf;
    delete own.oneOf;
    const base = hasTypeKeywords(own) ? fromJsonSchema(own, root, depth + 1) : undefined;
    const union = unionOf(alternatives.map((a) => fromJsonSchema(a, root, depth + 1)));
    // Keywords beside anyOf constrain every alternative; only the plain case is worth modelling.
    return base === undefined ? union : base.kind === 'object' || union.kind === 'unknown' ? base : union;
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((s) => fromJsonSchema(s, root, depth + 1));
    const own = { ...schema };
    delete own.allOf;
    if (hasTypeKeywords(own)) parts.push(fromJsonSchema(own, root, depth + 1));
    return intersectObjects(parts);
  }
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? (schema.type as unknown[]) : undefined;
  if (types === undefined) {
    if (isSchema(schema.properties) || 'additionalProperties' in schema) return objectFromSchema(schema, root, depth);
    if (isSchema(schema.items)) return arrayOf(fromJsonSchema(schema.items, root, depth + 1));
    return ANY_JSON;
  }
  let result = unionOf(types.map((t) => typeFromName(t, schema, root, depth)));
  if (schema.nullable === true) result = unionOf([result, NULL]);
  return result;
}

function hasTypeKeywords(schema: Schema): boolean {
  return 'type' in schema || 'properties' in schema || 'items' in schema;
}

function typeFromName(name: unknown, schema: Schema, root: unknown, depth: number): ValueType {
  switch (name) {
    case 'string':
      return STRING;
    case 'number':
    case 'integer':
      return NUMBER;
    case 'boolean':
      return BOOLEAN;
    case 'null':
      return NULL;
    case 'array':
      if (Array.isArray(schema.prefixItems) || Array.isArray(schema.items)) {
        const tuple = (Array.isArray(schema.prefixItems) ? schema.prefixItems : schema.items) as unknown[];
        return arrayOf(unionOf(tuple.map((s) => fromJsonSchema(s, root, depth + 1))));
      }
      return arrayOf(schema.items === undefined ? UNKNOWN : fromJsonSchema(schema.items, root, depth + 1));
    case 'object':
      return objectFromSchema(schema, root, depth);
    default:
      return UNKNOWN;
  }
}

function objectFromSchema(schema: Schema, root: unknown, depth: number): ValueType {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const props: [string, PropertyType][] = Object.entries(properties).map(([key, sub]) => [
    key,
    { type: fromJsonSchema(sub, root, depth + 1), optional: !required.has(key) && !(isSchema(sub) && 'default' in sub) },
  ]);
  const additional = schema.additionalProperties;
  const declared = props.length > 0;
  if (isSchema(schema.patternProperties) || additional === true || (!declared && additional === undefined)) {
    return objectOf(props, { open: true });
  }
  if (isSchema(additional)) {
    const index = fromJsonSchema(additional, root, depth + 1);
    return index.kind === 'unknown' || index.kind === 'any-json' ? objectOf(props, { open: true }) : objectOf(props, { index });
  }
  return objectOf(props);
}

/** allOf of objects: their properties together, closed only when every part is. Anything else: unknown. */
function intersectObjects(parts: ValueType[]): ValueType {
  const objects = parts.filter((p) => p.kind !== 'any-json');
  if (objects.length === 0) return ANY_JSON;
  if (!objects.every((p) => p.kind === 'object')) return objects.length === 1 ? objects[0] : UNKNOWN;
  const props = new Map<string, PropertyType>();
  let open = false;
  for (const part of objects as Extract<ValueType, { kind: 'object' }>[]) {
    for (const [key, prop] of part.props) props.set(key, prop);
    // Each part closes only its own keys in JSON Schema; the keys of the whole are those of all parts.
    if (part.open || part.index) open = true;
  }
  return objectOf(props, { open });
}

function resolveRef(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const step = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchema(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

const zodTypes = new WeakMap<object, ValueType>();

/** The type of what a zod schema outputs (a node type's outputSchema), by way of its JSON Schema. */
export function fromZodSchema(schema: z.ZodType): ValueType {
  const cached = zodTypes.get(schema);
  if (cached) return cached;
  let type: ValueType;
  try {
    type = fromJsonSchema(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }));
  } catch {
    // A schema JSON Schema cannot express (a transform, a custom check): nothing is known.
    type = UNKNOWN;
  }
  zodTypes.set(schema, type);
  return type;
}
