import { describe, expect, it } from 'vitest';
import { documentSymbols, flowRange, nodeRanges } from '../../../src/language/symbols';
import { GREET_FLOW, documentOf, textOf } from './languageTestUtils';

const LOOP_FLOW = `// a flow with a loop
{
  "version": 1,
  "id": "each",
  "name": "Each order",
  "triggers": [{ "type": "webhook", "path": "orders" }, { "type": "manual" }],
  "nodes": [
    { "id": "orders", "type": "transform", "name": "Orders", "config": { "output": [1, 2] } },
    {
      "id": "loop", "type": "loop",
      "config": { "items": "{{ nodes.orders }}", "body": { "nodes": [{ "id": "double", "type": "transform", "config": { "output": "{{ item * 2 }}" } }] } }
    }
  ],
  "edges": [{ "from": "orders", "to": "loop" }],
  "tests": [{ "name": "doubles", "expect": { "output": [2, 4] } }]
}`;

describe('document symbols', () => {
  it('outline the flow: its nodes with their type, loop bodies inside their loop, triggers and tests', () => {
    // ACT
    const [flow] = documentSymbols(documentOf(LOOP_FLOW));
    // ASSERT
    expect(flow).toMatchObject({ name: 'Each order', detail: 'each', kind: 'flow' });
    expect(flow.children.map((c) => [c.kind, c.name, c.detail])).toEqual([
      ['node', 'orders', 'transform · Orders'],
      ['node', 'loop', 'loop'],
      ['trigger', 'webhook', 'orders'],
      ['trigger', 'manual', undefined],
      ['test', 'doubles', undefined],
    ]);
    expect(flow.children[1].children.map((c) => c.name)).toEqual(['double']);
    expect(textOf(LOOP_FLOW, flow.children[0].selectionRange)).toBe('"orders"');
    expect(textOf(LOOP_FLOW, flow.children[1].range)).toMatch(/^\{\n {6}"id": "loop"[\s\S]*\}$/);
  });

  it('name a flow without a name by its id', () => {
    const [flow] = documentSymbols(documentOf(GREET_FLOW));
    expect(flow.name).toBe('greet');
    expect(flow.children.filter((c) => c.kind === 'node').map((c) => c.name)).toEqual(['fetch', 'check', 'greet', 'other']);
  });

  it('are empty for a text that holds no flow object', () => {
    expect(documentSymbols(documentOf('[1, 2'))).toEqual([]);
  });
});

describe('node and flow ranges', () => {
  it("give each top-level node's object range, and the bodies' only when asked", () => {
    const doc = documentOf(LOOP_FLOW);
    const ranges = nodeRanges(doc);
    expect([...ranges.keys()]).toEqual(['orders', 'loop']);
    expect(textOf(LOOP_FLOW, ranges.get('orders')!)).toMatch(/^\{ "id": "orders".*\}$/);
    expect(ranges.get('loop')!.start.line).toBe(8);
    expect([...nodeRanges(doc, { includeBodies: true }).keys()]).toEqual(['orders', 'loop', 'double']);
  });

  it('give the top-level object, after a leading comment', () => {
    const range = flowRange(documentOf(LOOP_FLOW))!;
    expect(range.start).toEqual({ line: 1, character: 0 });
    expect(range.end.line).toBe(LOOP_FLOW.split('\n').length - 1);
  });
});
