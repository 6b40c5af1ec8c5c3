// Where the characters of a JSON string literal's value are in the document text: JSON escapes (`\\n`,
// `\\u00e9`) make the raw text longer than the value, so a position inside a template (a diagnostic's range, the
// language service's cursor) is found by walking the literal. One walker for the compiler's diagnostics
// (jsonSource.ts) and the language service (completion, hover, rename, code actions).

import type { Node as JsonNode } from 'jsonc-parser';

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
