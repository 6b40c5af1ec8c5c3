// The input with its object keys in the order the schema lists them (then any others, as they were): JSON mode
// shows the value the way the form and the flow file do, not in the order the fields happened to be filled.

import { fieldKind, itemsOf, propertiesOf, resolveRef, type JsonSchema } from '../../src/shared/schemaKind';

const MAX_DEPTH = 32;

export function inSchemaOrder(value: unknown, schema: JsonSchema, root: JsonSchema = schema, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  const resolved = resolveRef(schema, root);
  if (Array.isArray(value)) {
    return fieldKind(resolved) === 'array' ? value.map((item) => inSchemaOrder(item, itemsOf(resolved), root, depth + 1)) : value;
  }
  if (fieldKind(resolved) !== 'object') return value;
  const object = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const [name, property] of propertiesOf(resolved)) {
    if (name in object) ordered[name] = inSchemaOrder(object[name], property, root, depth + 1);
  }
  for (const [name, item] of Object.entries(object)) if (!(name in ordered)) ordered[name] = item;
  return ordered;
}
