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

/**
 * Document offsets of a string literal's content: after the opening quote, up to the closing quote. While a
 * string is being typed it may have no closing quote: its content then runs to the end of the node.
 */
export function stringContent(text: string, node: JsonNode): { start: number; end: number } {
  const start = node.offset + 1;
  const last = node.offset + node.length - 1;
  const closed = node.length >= 2 && text.charCodeAt(last) === 34 /* " */ && !isEscaped(text, last, start);
  return { start, end: closed ? last : node.offset + node.length };
}

/** True when the character at `index` is preceded by an odd number of backslashes (not before `from`). */
function isEscaped(text: string, index: number, from: number): boolean {
  let count = 0;
  for (let i = index - 1; i >= from && text.charCodeAt(i) === 92; i--) count++;
  return count % 2 === 1;
}

/**
 * The document offset of character `index` of a string literal's value (`index` may be the value's length).
 * JSON escapes make the raw text longer than the value, so the literal is walked when it holds any.
 */
export function stringOffsetAt(text: string, node: JsonNode, index: number): number {
  const { start, end } = stringContent(text, node);
  let raw = start;
  let valueIndex = 0;
  while (valueIndex < index && raw < end) {
    if (text.charCodeAt(raw) === 92 /* \ */) raw += text.charCodeAt(raw + 1) === 117 /* u */ ? 6 : 2;
    else raw += 1;
    valueIndex++;
  }
  return Math.min(raw, end);
}

/** The index in a string literal's value of document offset `offset` (clamped to the content). */
export function stringIndexAt(text: string, node: JsonNode, offset: number): number {
  const { start, end } = stringContent(text, node);
  const target = Math.max(start, Math.min(offset, end));
  let raw = start;
  let valueIndex = 0;
  while (raw < target) {
    if (text.charCodeAt(raw) === 92 /* \ */) raw += text.charCodeAt(raw + 1) === 117 /* u */ ? 6 : 2;
    else raw += 1;
    valueIndex++;
  }
  return valueIndex;
}

