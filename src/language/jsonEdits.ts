// The one JSONC text-edit engine: minimal edits of a .flow.json text for the canvas's intents (canvasEdits.ts)
// and the quick fixes (codeActions.ts). Only the lines that must change do, in the file's own indentation and
// line ends; comments elsewhere stay. A new entry goes on its own line where its object or list is written one
// entry per line (a later git diff shows one line), inline where it is written inline; a value is written inline
// unless that would make a long line. jsonc-parser's `modify` is not used: it re-formats the object it edits.

import { findNodeAtLocation, getNodeValue, type Edit } from 'jsonc-parser';
import type { JSONPath } from 'jsonc-parser';
import { deepEqual } from '../shared/deepEqual';
import { isPlainObject } from '../shared/isPlainObject';
import { detectFormatting, type TextFormatting } from './detectFormatting';
import type { FlowDocument } from './flowDocument';
import type { JsonNode } from './jsonTree';
import type { TextEdit } from './textEdit';

/** Inline values longer than this are written over several lines in a multi-line object. */
const INLINE_LIMIT = 100;

/** A parsed text and how it is formatted: what every edit below reads. */
export interface JsonTextContext {
  text: string;
  root: JsonNode;
  format: TextFormatting;
  /** One level of indentation, as the file writes it. */
  unit: string;
}

export function jsonTextContext(text: string, root: JsonNode): JsonTextContext {
  const format = detectFormatting(text);
  return { text, root, format, unit: format.insertSpaces ? ' '.repeat(format.tabSize) : '\t' };
}

/** Edits that set the property at `path` (which must not exist yet) to `value`, creating missing parents. */
export function insertPropertyEdits(doc: FlowDocument, path: JSONPath, value: unknown): TextEdit[] {
  const root = doc.root;
  if (!root || path.length === 0) return [];
  const key = path[path.length - 1];
  const parentPath = path.slice(0, -1);
  const parent = findNodeAtLocation(root, parentPath);
  if (!parent) {
    // Create the parent with this one property, inside its own parent (a node without `config`, say).
    if (typeof key !== 'string' || parentPath.length === 0 || typeof parentPath[parentPath.length - 1] !== 'string') return [];
    return insertPropertyEdits(doc, parentPath, { [key]: value });
  }
  if (parent.type !== 'object' || typeof key !== 'string') return [];
  // `{}` holding a comment: there is no place to put the key that keeps the comment where the person wrote it.
  if (!parent.children?.length && doc.text.slice(parent.offset + 1, parent.offset + parent.length - 1).trim() !== '') return [];
  const context = jsonTextContext(doc.text, root);
  const edits = appendEntries(context, parent, (indent, multiLine) => [`${JSON.stringify(key)}: ${writeValue(context, value, indent, multiLine)}`]);
  return edits.map((e) => ({ range: doc.rangeAt(e.offset, e.offset + e.length), newText: e.content }));
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl < 0) return text.length;
  return text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** The whitespace that starts the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset), offset))![0];
}

function end(node: JsonNode): number {
  return node.offset + node.length;
}

function isMultiLine(text: string, node: JsonNode): boolean {
  return text.slice(node.offset, end(node)).includes('\n');
}

/** After `at`: optional spaces, an optional comma, optional spaces, an optional line comment, then the line's end. */
const REST_OF_LINE = /^[ \t]*(,)?[ \t]*(\/\/[^\n]*)?$/;

/**
 * Inserts entries (already-written element or `"key": value` texts) after `after` (default: the container's
 * last child). In a multi-line container each goes on its own line, indented like its neighbours; `make` gets that
 * indent and whether the container is multi-line, for values it writes over several lines.
 */
export function appendEntries(context: JsonTextContext, container: JsonNode, make: (indent: string, multiLine: boolean) => string[], after?: JsonNode): Edit[] {
  const { text } = context;
  const { eol } = context.format;
  const children = container.children ?? [];
  const last = after ?? children[children.length - 1];
  const multiLine = isMultiLine(text, container);
  if (!last) {
    const indent = lineIndent(text, container.offset);
    const open = text[container.offset];
    const close = text[end(container) - 1];
    if (!multiLine) {
      const entries = make(indent + context.unit, false);
      const inner = entries.join(', ');
      return [{ offset: container.offset, length: container.length, content: open === '[' ? `[${inner}]` : `{ ${inner} }` }];
    }
    const entries = make(indent + context.unit, true);
    return [
      {
        offset: container.offset,
        length: container.length,
        content: `${open}${eol}${entries.map((e) => indent + context.unit + e).join(`,${eol}`)}${eol}${indent}${close}`,
      },
    ];
  }
  const lastEnd = end(last);
  const closeOnLaterLine = text.slice(lastEnd, end(container)).includes('\n');
  if (!multiLine || !closeOnLaterLine) {
    const entries = make(lineIndent(text, last.offset), false);
    return [{ offset: lastEnd, length: 0, content: entries.map((e) => `, ${e}`).join('') }];
  }
  const indent = lineIndent(text, last.offset);
  const entries = make(indent, true);
  const newLines = entries.map((e) => `${eol}${indent}${e}`).join(',');
  const restEnd = lineEnd(text, lastEnd);
  const rest = REST_OF_LINE.exec(text.slice(lastEnd, restEnd));
  const isLastChild = last === children[children.length - 1];
  if (rest && (rest[1] || isLastChild)) {
    // Keep a comment at the end of the last entry's line on that line: the comma goes after the entry, the new
    // entries after the line. A comma already after the entry serves as the separator, and the new entries get
    // one after them (before the next entry, or as the list's trailing comma, keeping its style).
    if (rest[1]) return [{ offset: restEnd, length: 0, content: `${newLines},` }];
    // Nothing but spaces after the entry: one insertion (two at one offset would depend on the applier's order).
    if (!rest[2]) return [{ offset: lastEnd, length: 0, content: `,${newLines}` }];
    return [
      { offset: lastEnd, length: 0, content: ',' },
      { offset: restEnd, length: 0, content: newLines },
    ];
  }
  return [{ offset: lastEnd, length: 0, content: `,${newLines}` }];
}

/**
 * Removes the children at `indices` (array elements, or object properties) with their separators. Where a
 * child is written on lines of its own, those whole lines go; a comment on the lines between entries stays.
 */
export function removeChildren(context: JsonTextContext, container: JsonNode, indices: ReadonlySet<number>): Edit[] {
  const { text } = context;
  const children = container.children ?? [];
  if (children.every((_, i) => indices.has(i))) {
    return [{ offset: container.offset + 1, length: container.length - 2, content: '' }];
  }
  const edits: Edit[] = [];
  for (let a = 0; a < children.length; a++) {
    if (!indices.has(a)) continue;
    let b = a;
    while (b + 1 < children.length && indices.has(b + 1)) b++;
    const first = children[a];
    const lastRemoved = children[b];
    const ownsLines =
      text.slice(lineStart(text, first.offset), first.offset).trim() === '' && REST_OF_LINE.test(text.slice(end(lastRemoved), lineEnd(text, end(lastRemoved))));
    if (b + 1 < children.length) {
      const next = children[b + 1];
      const afterLine = lineEnd(text, end(lastRemoved));
      if (ownsLines && next.offset > afterLine) {
        // Whole lines: from the first removed entry's line to the end of the last one's (its line break too).
        const from = lineStart(text, first.offset);
        const to = text.indexOf('\n', afterLine) + 1;
        edits.push({ offset: from, length: to - from, content: '' });
      } else {
        edits.push({ offset: first.offset, length: next.offset - first.offset, content: '' });
      }
    } else {
      const previous = children[a - 1];
      const commaAt = text.indexOf(',', end(previous));
      if (ownsLines && lineEnd(text, end(previous)) < first.offset && lineEnd(text, end(lastRemoved)) < end(container) - 1) {
        // The trailing run on lines of its own: those lines, and the comma that separated them from the rest.
        const from = lineStart(text, first.offset);
        const to = text.indexOf('\n', lineEnd(text, end(lastRemoved))) + 1;
        edits.push({ offset: from, length: to - from, content: '' });
        if (commaAt >= 0 && commaAt < first.offset && text.slice(end(previous), commaAt).trim() === '') {
          edits.push({ offset: commaAt, length: 1, content: '' });
        }
      } else {
        edits.push({ offset: end(previous), length: end(lastRemoved) - end(previous), content: '' });
      }
    }
    a = b;
  }
  return edits;
}

/** Edits that turn the value at `node` into `next`, touching only the parts that differ. */
export function diffValue(context: JsonTextContext, node: JsonNode, next: unknown): Edit[] {
  const current = getNodeValue(node);
  if (deepEqual(current, next)) return [];
  if (node.type === 'object' && isPlainObject(next)) return diffObject(context, node, next);
  if (node.type === 'array' && Array.isArray(next) && (node.children ?? []).length === next.length) {
    return (node.children ?? []).flatMap((child, i) => diffValue(context, child, next[i]));
  }
  return [{ offset: node.offset, length: node.length, content: writeValue(context, next, lineIndent(context.text, node.offset), isMultiLine(context.text, node)) }];
}

function diffObject(context: JsonTextContext, object: JsonNode, next: Record<string, unknown>): Edit[] {
  const children = object.children ?? [];
  const byKey = new Map<string, number>();
  children.forEach((property, i) => {
    const key = property.children?.[0]?.value;
    if (typeof key === 'string') byKey.set(key, i);
  });
  const removed = new Set<number>();
  children.forEach((property, i) => {
    const key = property.children?.[0]?.value;
    // An earlier duplicate of a key goes too: the last one is the one that counts.
    if (typeof key !== 'string' || !has(next, key) || byKey.get(key) !== i) removed.add(i);
  });
  const added = Object.keys(next).filter((key) => !byKey.has(key) && next[key] !== undefined);
  const lastRemoved = children.length > 0 && removed.has(children.length - 1);
  if (added.length > 0 && (lastRemoved || removed.size === children.length)) {
    // Both ends change: write the object anew (rare: the inspector replacing the last key by another).
    return [{ offset: object.offset, length: object.length, content: writeValue(context, next, lineIndent(context.text, object.offset), isMultiLine(context.text, object)) }];
  }
  const edits: Edit[] = [];
  for (const [key, i] of byKey) {
    if (removed.has(i)) continue;
    const value = children[i].children?.[1];
    if (value) edits.push(...diffValue(context, value, next[key]));
  }
  if (removed.size > 0) edits.push(...removeChildren(context, object, removed));
  if (added.length > 0) {
    edits.push(
      ...appendEntries(context, object, (indent, multiLine) =>
        added.map((key) => `${JSON.stringify(key)}: ${writeValue(context, next[key], indent, multiLine)}`),
      ),
    );
  }
  return edits;
}

/** A value as text: inline when short or when its place is inline, else pretty-printed at `indent`. */
function writeValue(context: JsonTextContext, value: unknown, indent: string, multiLine: boolean): string {
  const inline = inlineJson(value);
  if (!multiLine || inline.length <= INLINE_LIMIT) return inline;
  return JSON.stringify(value, null, context.unit).split('\n').join(context.format.eol + indent);
}

function has(object: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key) && object[key] !== undefined;
}

/** JSON on one line, spaced the way people write it inline: `{ "url": "" }`, `[1, 2]`. */
export function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'null';
}
