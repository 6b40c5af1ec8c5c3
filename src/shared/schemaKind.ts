// What kind of field a JSON Schema asks for, after following local `$ref`s: the form draws one widget per kind,
// and anything it cannot draw as a widget (anyOf, oneOf, a type list of several kinds, no type) is a JSON field.

export type JsonSchema = Record<string, unknown>;

export type FieldKind = 'object' | 'array' | 'enum' | 'boolean' | 'number' | 'integer' | 'string' | 'json';

/** How many `$ref`s to follow before giving up: a schema that refers to itself must not hang the form. */
const MAX_REF_DEPTH = 32;

/** `schema` with its local `$ref` (`#/$defs/x`, `#/definitions/x`) followed; the schema itself when it has none. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; depth < MAX_REF_DEPTH && typeof current.$ref === 'string'; depth++) {
    const target = pointerTarget(root, current.$ref);
    if (!target) return current;
    // Keywords next to the $ref (a description, a default) win over the target's.
    const { $ref: _ref, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  return current;
}

function pointerTarget(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter((s) => s !== '')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as JsonSchema) : undefined;
}

/** The schema's one type, ignoring "null" in a type list; undefined when it names none or several. */
export function singleType(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== 'null');
    return types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
  }
  if (schema.properties && typeof schema.properties === 'object') return 'object';
  if (schema.items && typeof schema.items === 'object') return 'array';
  return undefined;
}

export function fieldKind(schema: JsonSchema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every(isScalar)) return 'enum';
  if ('const' in schema && isScalar(schema.const)) return 'enum';
  if (schema.anyOf || schema.oneOf || schema.allOf) return 'json';
  const type = singleType(schema);
  switch (type) {
    case 'object':
    case 'array':
    case 'boolean':
    case 'number':
    case 'integer':
    case 'string':
      return type;
    default:
      return 'json';
  }
}

/** The choices of an enum field (`const` is a single choice). */
export function enumChoices(schema: JsonSchema): Array<string | number | boolean | null> {
  if (Array.isArray(schema.enum)) return schema.enum as Array<string | number | boolean | null>;
  return [schema.const as string | number | boolean | null];
}

export function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** The properties of an object schema, in the order written. */
export function propertiesOf(schema: JsonSchema): Array<[string, JsonSchema]> {
  const properties = schema.properties;
  if (!properties || typeof properties !== 'object') return [];
  return Object.entries(properties as Record<string, unknown>).filter((entry): entry is [string, JsonSchema] => !!entry[1] && typeof entry[1] === 'object');
}

export function requiredOf(schema: JsonSchema): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
}

/** The schema of an array's items (the first of a tuple's `prefixItems` is not handled: that is a JSON field). */
export function itemsOf(schema: JsonSchema): JsonSchema {
  return schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items) ? (schema.items as JsonSchema) : {};
}
