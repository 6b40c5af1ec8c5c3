import { describe, expect, it } from 'vitest';
import type { Range } from '../../../src/engine/model/diagnostics';
import { errorLocationRange, expectedValueRange } from '../../../src/language/runFailurePlaces';

function textAt(text: string, range: Range | undefined): string {
  expect(range).toBeDefined();
  const lines = text.split('\n');
  expect(range!.start.line).toBe(range!.end.line);
  return lines[range!.start.line].slice(range!.start.character, range!.end.character);
}

const FLOW = `{
  "version": 1,
  "id": "order-intake",
  "nodes": [
    { "id": "tax", "type": "transform", "config": { "output": { "note": "\\"q\\" {{ input.total / input.orderId }}" } } }
  ],
  "edges": [],
  "tests": [
    { "name": "taxed", "input": { "total": 100 }, "expect": { "output": { "tax": 19, "lines": [1, 2] } } },
    { "name": "no status", "input": {}, "expect": { "nodes": { "tax": { "output": { "x": "y" } } } } }
  ]
}`;

describe('errorLocationRange', () => {
  it('maps the failing part of a template through the JSON escapes before it', () => {
    // ARRANGE: the value is `"q" {{ input.total / input.orderId }}`; the failing part starts at offset 7
    const value = '"q" {{ input.total / input.orderId }}';
    const start = value.indexOf('input.total');
    const end = start + 'input.total / input.orderId'.length;

    // ACT
    const range = errorLocationRange(FLOW, true, { path: ['nodes', 0, 'config', 'output', 'note'], start, end });

    // ASSERT
    expect(textAt(FLOW, range)).toBe('input.total / input.orderId');
  });

  it('falls back to the whole value when the string changed since the run', () => {
    const range = errorLocationRange(FLOW, true, { path: ['nodes', 0, 'config', 'output', 'note'], start: 200, end: 210 });
    expect(textAt(FLOW, range)).toBe('"\\"q\\" {{ input.total / input.orderId }}"');
  });

  it("uses the run's own range for a .flow.ts", () => {
    const range: Range = { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } };
    expect(errorLocationRange('export default flow({})', false, { path: ['nodes', 0], start: 0, end: 1, range })).toBe(range);
  });
});

describe('expectedValueRange', () => {
  it('anchors on the expected value that differs, not on the test', () => {
    expect(textAt(FLOW, expectedValueRange(FLOW, true, 0, ['output', 'tax']))).toBe('19');
    expect(textAt(FLOW, expectedValueRange(FLOW, true, 0, ['output', 'lines', 1]))).toBe('2');
    expect(textAt(FLOW, expectedValueRange(FLOW, true, 1, ['nodes', 'tax', 'output', 'x']))).toBe('"y"');
  });

  it('anchors an implied expectation (no "status" written) at the nearest written part', () => {
    // `expect` has no `status`: the anchor is its nearest ancestor that is written, the `expect` key
    expect(textAt(FLOW, expectedValueRange(FLOW, true, 1, ['status']))).toBe('"expect"');
  });

  it('finds the expected value in a .flow.ts', () => {
    const ts = [
      "export default flow({ id: 'f', nodes: [], edges: [],",
      "  tests: [{ name: 't', input: {}, expect: { output: { tax: 19 } } }] });",
    ].join('\n');
    expect(textAt(ts, expectedValueRange(ts, false, 0, ['output', 'tax']))).toBe('19');
  });
});
