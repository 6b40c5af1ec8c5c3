// The JSON Pointers of the fields the form draws for a value: the same walk as SchemaField's rendering (objects
// draw each property, arrays each item, every other kind one field), so errors can be placed at drawn fields.

import { fieldKind, itemsOf, propertiesOf, resolveRef, type JsonSchema } from '../../src/shared/schemaKind';
import { getAt, toPointer, type Path } from './valuePath';

export function drawnFields(schema: JsonSchema, value: unknown): Set<string> {
  const drawn = new Set<string>(['/']);
  const walk = (node: JsonSchema, path: Path): void => {
    const resolved = resolveRef(node, schema);
    if (path.length > 0) drawn.add(toPointer(path));
    const kind = fieldKind(resolved);
    if (kind === 'object') {
      for (const [name, property] of propertiesOf(resolved)) walk(property, [...path, name]);
    } else if (kind === 'array') {
      const items = getAt(value, path);
      if (Array.isArray(items)) items.forEach((_, index) => walk(itemsOf(resolved), [...path, index]));
    }
  };
  walk(schema, []);
  return drawn;
}
