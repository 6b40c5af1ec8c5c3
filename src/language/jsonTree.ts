// Small readers over jsonc-parser's syntax tree, shared by the language features: a property's key and value
// nodes (the last one wins, as in the parsed value), and where a string literal's text is.

import type { Node as JsonNode } from 'jsonc-parser';

export type { JsonNode };

/** The property node `key` of an object node (the last one when a key is repeated). */
export function propertyOf(object: JsonNode | undefined, key: string): JsonNode | undefined {
  const children = object?.type === 'object' ? object.children : undefined;
  if (!children) return undefined;
  for (let i = children.length - 1; i >= 0; i--) {
    const property = children[i];
    if (property.children?.[0]?.value === key) return property;
  }
  return undefined;
}

/** The value node of property `key` of an object node. */
export function valueOf(object: JsonNode | undefined, key: string): JsonNode | undefined {
  return propertyOf(object, key)?.children?.[1];
}

/** The string value of property `key`, when it is a string. */
export function stringOf(object: JsonNode | undefined, key: string): string | undefined {
  const value = valueOf(object, key);
  return value?.type === 'string' && typeof value.value === 'string' ? value.value : undefined;
}

/** The elements of an array node, or none. */
export function elementsOf(array: JsonNode | undefined): JsonNode[] {
  return array?.type === 'array' ? (array.children ?? []) : [];
}

/** The `[key, value]` pairs of an object node, in source order (repeated keys included). */
export function propertiesOf(object: JsonNode | undefined): { key: JsonNode; value: JsonNode | undefined }[] {
  if (object?.type !== 'object') return [];
  const out: { key: JsonNode; value: JsonNode | undefined }[] = [];
  for (const property of object.children ?? []) {
    const key = property.children?.[0];
    if (key) out.push({ key, value: property.children?.[1] });
  }
  return out;
}

/** True when `node` is the key (not the value) of a property. */
export function isPropertyKey(node: JsonNode): boolean {
  return node.parent?.type === 'property' && node.parent.children?.[0] === node;
}

/** The key text of the property whose value is `node`, if it is one. */
export function keyOfValue(node: JsonNode): string | undefined {
  const property = node.parent;
  if (property?.type !== 'property' || property.children?.[1] !== node) return undefined;
  const key = property.children?.[0]?.value;
  return typeof key === 'string' ? key : undefined;
}


