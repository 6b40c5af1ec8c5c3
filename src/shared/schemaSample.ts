// Values made from a flow's `inputs` schema, without the user typing them:
// - `defaultsOf`: what the form starts with when there is no last run: every `default`, and the objects that hold
//   them; nothing invented (an empty form says "fill me", an invented value would run unnoticed);
// - `sampleOf`: the "Sample" button: a complete example, every property filled (examples first, then defaults,
//   then the first enum choice, then a value of the right type and format that respects minimum/minLength).

import { enumChoices, fieldKind, itemsOf, propertiesOf, requiredOf, resolveRef, singleType, type JsonSchema } from './schemaKind';

/** Nested objects deeper than this are left empty: a recursive schema must end. */
const MAX_DEPTH = 8;

export function defaultsOf(schema: JsonSchema, root: JsonSchema = schema, depth = 0): unknown {
  const resolved = resolveRef(schema, root);
  if (resolved.default !== undefined) return structuredClone(resolved.default);
  if (depth >= MAX_DEPTH || fieldKind(resolved) !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, property] of propertiesOf(resolved)) {
    const value = defaultsOf(property, root, depth + 1);
    if (value !== undefined) out[name] = value;
  }
  // The top level is always an object when the schema says so: the form edits its fields.
  return depth === 0 || Object.keys(out).length > 0 ? out : undefined;
}

export function sampleOf(schema: JsonSchema, root: JsonSchema = schema, depth = 0): unknown {
  const resolved = resolveRef(schema, root);
  if (Array.isArray(resolved.examples) && resolved.examples.length > 0) return structuredClone(resolved.examples[0]);
  if (resolved.default !== undefined) return structuredClone(resolved.default);
  const kind = fieldKind(resolved);
  switch (kind) {
    case 'enum':
      return enumChoices(resolved)[0];
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return sampleNumber(resolved, kind === 'integer');
    case 'string':
      return sampleString(resolved);
    case 'array': {
      if (depth >= MAX_DEPTH) return [];
      const count = Math.max(1, typeof resolved.minItems === 'number' ? resolved.minItems : 1);
      return Array.from({ length: count }, () => sampleOf(itemsOf(resolved), root, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth >= MAX_DEPTH) return out;
      const required = requiredOf(resolved);
      for (const [name, property] of propertiesOf(resolved)) {
        // Deep optional objects are left out: a sample shows the shape, not every corner of it.
        if (!required.has(name) && depth >= 3) continue;
        out[name] = sampleOf(property, root, depth + 1);
      }
      return out;
    }
    default:
      return sampleOfUnion(resolved, root, depth);
  }
}

function sampleOfUnion(schema: JsonSchema, root: JsonSchema, depth: number): unknown {
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(options) && options.length > 0 && depth < MAX_DEPTH) return sampleOf(options[0], root, depth + 1);
  if (Array.isArray(schema.allOf) && depth < MAX_DEPTH) {
    const merged = Object.assign({}, ...(schema.allOf as JsonSchema[]).map((part) => resolveRef(part, root))) as JsonSchema;
    return sampleOf(merged, root, depth + 1);
  }
  const type = singleType(schema);
  return type === undefined ? null : sampleOf({ type }, root, depth + 1);
}

function sampleNumber(schema: JsonSchema, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : undefined;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : undefined;
  let value = minimum ?? (maximum !== undefined ? Math.min(0, maximum) : 0);
  if (integer) value = Math.ceil(value);
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  return value;
}

/** A string of the schema's format, else "text" padded to minLength. */
const FORMAT_SAMPLES: Record<string, string> = {
  date: '2025-01-31',
  'date-time': '2025-01-31T09:30:00Z',
  time: '09:30:00',
  email: 'someone@example.com',
  'idn-email': 'someone@example.com',
  uri: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  iri: 'https://example.com/',
  url: 'https://example.com/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '00000000-0000-4000-8000-000000000000',
  duration: 'PT1H',
};

function sampleString(schema: JsonSchema): string {
  const format = typeof schema.format === 'string' ? FORMAT_SAMPLES[schema.format] : undefined;
  if (format) return format;
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  let text = 'text';
  while (text.length < minLength) text += 'x';
  return text.slice(0, Math.max(minLength, Math.min(text.length, maxLength)));
}
