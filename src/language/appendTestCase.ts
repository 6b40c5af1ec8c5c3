// Adds a test case to a .flow.json as a minimal edit: the new element is inserted after the last test, indented
// like it, and nothing else in the file moves (jsonc-parser's own array append re-formats the element before).
// It is written in the style of the tests already there: where they keep objects on one line (`"input": {
// "orderId": "A-1" }`), so does the new one, with the same spaces inside braces.

import { findNodeAtLocation, modify, parseTree, type Node } from 'jsonc-parser';
import { detectFormatting } from './detectFormatting';

export interface TextInsertion {
  offset: number;
  length: number;
  content: string;
}

export function appendTestCase(text: string, test: unknown): TextInsertion[] {
  const formatting = detectFormatting(text);
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const tests = root ? findNodeAtLocation(root, ['tests']) : undefined;
  if (!tests || tests.type !== 'array') {
    return modify(text, ['tests'], [test], { formattingOptions: formatting }).map((e) => ({ offset: e.offset, length: e.length, content: e.content }));
  }
  const { eol } = formatting;
  const unit = formatting.insertSpaces ? ' '.repeat(formatting.tabSize) : '\t';
  const elements = tests.children ?? [];
  if (elements.length === 0) {
    const indent = indentOfLine(text, tests.offset);
    const body = indentLines(JSON.stringify(test, null, unit), indent + unit, eol);
    return [{ offset: tests.offset, length: tests.length, content: `[${eol}${indent}${unit}${body}${eol}${indent}]` }];
  }
  const last = elements[elements.length - 1];
  const indent = indentOfLine(text, last.offset);
  const style = styleOf(text, last);
  const body = writeStyled(test, style, { unit, eol, indent });
  return [{ offset: last.offset + last.length, length: 0, content: `,${eol}${indent}${body}` }];
}

/** How a sibling element is written: from which depth its objects and arrays stay on one line, and their padding. */
export interface JsonStyle {
  /** Containers this deep or deeper (the element itself is 0) are written on one line. */
  inlineDepth: number;
  /** `{ "a": 1 }` rather than `{"a": 1}`. */
  padBraces: boolean;
}

/** A container written on one line longer than this is broken over lines anyway, as a person would. */
const MAX_INLINE_CHARS = 100;

export function styleOf(text: string, element: Node): JsonStyle {
  // The shallowest depth from which every container of the element is on one line.
  let inlineDepth = 0;
  let padded = 0;
  let tight = 0;
  const visit = (node: Node, depth: number): void => {
    if (node.type !== 'object' && node.type !== 'array') {
      for (const child of node.children ?? []) visit(child, depth);
      return;
    }
    const source = text.slice(node.offset, node.offset + node.length);
    if (/[\r\n]/.test(source)) inlineDepth = Math.max(inlineDepth, depth + 1);
    else if (node.type === 'object' && (node.children?.length ?? 0) > 0) {
      if (source.startsWith('{ ')) padded++;
      else tight++;
    }
    // A property node passes its container's depth on to its value (above): `depth` counts containers only.
    for (const child of node.children ?? []) visit(child, depth + 1);
  };
  visit(element, 0);
  return { inlineDepth, padBraces: padded >= tight };
}

/** `value` as JSON in `style`, its lines after the first indented by `indent` plus `unit` per level. */
export function writeStyled(value: unknown, style: JsonStyle, layout: { unit: string; eol: string; indent: string }): string {
  const write = (item: unknown, depth: number): string => {
    if (item === null || typeof item !== 'object') return JSON.stringify(item) ?? 'null';
    const isArray = Array.isArray(item);
    const entries: [string | undefined, unknown][] = isArray
      ? (item as unknown[]).map((v) => [undefined, v])
      : Object.entries(item as Record<string, unknown>).filter(([, v]) => v !== undefined);
    const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return `${open}${close}`;
    const entryText = ([key, v]: [string | undefined, unknown], d: number): string => (key === undefined ? '' : `${JSON.stringify(key)}: `) + write(v, d);
    if (depth >= style.inlineDepth) {
      const inner = entries.map((e) => entryText(e, depth + 1)).join(', ');
      const pad = style.padBraces && !isArray ? ' ' : '';
      const inline = `${open}${pad}${inner}${pad}${close}`;
      if (inline.length <= MAX_INLINE_CHARS && !inline.includes('\n')) return inline;
    }
    const childIndent = layout.indent + layout.unit.repeat(depth + 1);
    const lines = entries.map((e) => childIndent + entryText(e, depth + 1));
    return `${open}${layout.eol}${lines.join(`,${layout.eol}`)}${layout.eol}${layout.indent}${layout.unit.repeat(depth)}${close}`;
  };
  return write(value, 0);
}

function indentLines(json: string, indent: string, eol: string): string {
  return json.split('\n').join(`${eol}${indent}`);
}

function indentOfLine(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
