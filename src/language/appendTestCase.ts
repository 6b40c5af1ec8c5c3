// Adds a test case to a .flow.json as a minimal edit: the new element is inserted after the last test, indented
// like it, and nothing else in the file moves (jsonc-parser's own array append re-formats the element before).

import { findNodeAtLocation, modify, parseTree } from 'jsonc-parser';
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
  const body = indentLines(JSON.stringify(test, null, unit), indent, eol);
  return [{ offset: last.offset + last.length, length: 0, content: `,${eol}${indent}${body}` }];
}

function indentLines(json: string, indent: string, eol: string): string {
  return json.split('\n').join(`${eol}${indent}`);
}

function indentOfLine(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
