// Adding a property to a .flow.json as a minimal edit. jsonc-parser's `modify` re-formats the object it edits,
// which is right for an object written over several lines but turns a one-line node into seven lines; so a
// one-line object gets the property inline, and only a multi-line one goes through `modify`, with the file's
// own indentation and line ends.

import { findNodeAtLocation, modify } from 'jsonc-parser';
import type { JSONPath } from 'jsonc-parser';
import { detectFormatting } from './detectFormatting';
import type { FlowDocument } from './flowDocument';
import type { TextEdit } from './textEdit';

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
  const text = doc.text;
  const objectText = text.slice(parent.offset, parent.offset + parent.length);
  if (!objectText.includes('\n')) {
    const entry = `${JSON.stringify(key)}: ${inlineJson(value)}`;
    const last = parent.children?.[parent.children.length - 1];
    if (!last) {
      // `{}` (possibly holding a comment or spaces) becomes `{ "key": value }`.
      const inner = objectText.slice(1, -1).trim();
      if (inner !== '') return [];
      return [{ range: doc.rangeAt(parent.offset, parent.offset + parent.length), newText: `{ ${entry} }` }];
    }
    const at = last.offset + last.length;
    return [{ range: doc.rangeAt(at, at), newText: `, ${entry}` }];
  }
  const edits = modify(text, path, value, { formattingOptions: detectFormatting(text) });
  return edits.map((e) => ({ range: doc.rangeAt(e.offset, e.offset + e.length), newText: e.content }));
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
