import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { appendTestCase } from '../../../src/language/appendTestCase';

function apply(text: string, edits: { offset: number; length: number; content: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}

describe('appendTestCase', () => {
  it('appends after the last test without touching the rest of the file', () => {
    const text = '{\n  // keep me\n  "version": 1,\n  "tests": [\n    { "name": "a", "expect": {} }\n  ]\n}\n';
    const result = apply(text, appendTestCase(text, { name: 'b', input: { x: 1 }, expect: { status: 'completed' } }));
    expect(result).toBe(
      '{\n  // keep me\n  "version": 1,\n  "tests": [\n    { "name": "a", "expect": {} },\n    {\n      "name": "b",\n      "input": {\n        "x": 1\n      },\n      "expect": {\n        "status": "completed"\n      }\n    }\n  ]\n}\n',
    );
    expect(parse(result).tests).toHaveLength(2);
  });

  it('adds a tests array when the flow has none, with tabs and CRLF when the file uses them', () => {
    const text = '{\r\n\t"version": 1\r\n}';
    const result = apply(text, appendTestCase(text, { name: 'first', expect: {} }));
    expect(parse(result).tests).toEqual([{ name: 'first', expect: {} }]);
    expect(result).toContain('\r\n\t"tests"');
    expect(result.split('\n').every((line) => line === '' || line.endsWith('\r') || line === result.split('\n').at(-1))).toBe(true);
  });

  it('fills an empty tests array', () => {
    const text = '{\n  "version": 1,\n  "tests": []\n}';
    const result = apply(text, appendTestCase(text, { name: 'x', expect: {} }));
    expect(parse(result).tests).toEqual([{ name: 'x', expect: {} }]);
    expect(result.startsWith('{\n  "version": 1,\n  "tests": [\n    {\n      "name": "x"')).toBe(true);
  });
});
