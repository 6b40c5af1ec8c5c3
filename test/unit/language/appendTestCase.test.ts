import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { appendTestCase } from '../../../src/language/appendTestCase';

function apply(text: string, edits: { offset: number; length: number; content: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}

describe('appendTestCase', () => {
  it('appends after the last test without touching the rest of the file, on one line like it', () => {
    const text = '{\n  // keep me\n  "version": 1,\n  "tests": [\n    { "name": "a", "expect": {} }\n  ]\n}\n';
    const result = apply(text, appendTestCase(text, { name: 'b', input: { x: 1 }, expect: { status: 'completed' } }));
    expect(result).toBe(
      '{\n  // keep me\n  "version": 1,\n  "tests": [\n    { "name": "a", "expect": {} },\n    { "name": "b", "input": { "x": 1 }, "expect": { "status": "completed" } }\n  ]\n}\n',
    );
    expect(parse(result).tests).toHaveLength(2);
  });

  it("writes in the style of the tests already there: one property a line, objects inline, as order-intake's", () => {
    // ARRANGE: the style of samples/order-intake.flow.json
    const text = [
      '{',
      '  "tests": [',
      '    {',
      '      "name": "small German orders",',
      '      "input": { "orderId": "A-1", "total": 100 },',
      '      "expect": { "status": "completed", "output": { "tax": 19 } }',
      '    }',
      '  ]',
      '}',
    ].join('\n');
    // ACT
    const result = apply(text, appendTestCase(text, { name: 'orderId A-42', input: { orderId: 'A-42', total: 120 }, expect: { status: 'completed', output: { queue: 'auto', tax: 22.8 } } }));
    // ASSERT
    expect(result.split('\n').slice(6, 11)).toEqual([
      '    },',
      '    {',
      '      "name": "orderId A-42",',
      '      "input": { "orderId": "A-42", "total": 120 },',
      '      "expect": { "status": "completed", "output": { "queue": "auto", "tax": 22.8 } }',
    ]);
    expect(parse(result).tests[1].expect.output).toEqual({ queue: 'auto', tax: 22.8 });
  });

  it('breaks a value too long for one line over lines, and keeps tight braces when the file has them', () => {
    const text = '{\n  "tests": [\n    {\n      "name": "a",\n      "input": {"x": 1}\n    }\n  ]\n}';
    const long = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key${i}`, `value ${i}`]));
    const result = apply(text, appendTestCase(text, { name: 'b', input: { y: 2 }, expect: { output: long } }));
    expect(result).toContain('\n      "input": {"y": 2},\n');
    expect(result).toContain('\n      "expect": {\n        "output": {\n          "key0": "value 0",\n          "key1": "value 1",');
    expect(parse(result).tests[1].expect.output).toEqual(long);
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
