import { describe, expect, it } from 'vitest';
import { definitionAt } from '../../../src/language/definition';
import { GREET_FLOW, documentAt, documentOf, textOf } from './languageTestUtils';

/** The fixture with the cursor `shift` characters into the first occurrence of `marker`. */
function cursorIn(flow: string, marker: string, shift: number): string {
  const index = flow.indexOf(marker);
  expect(index, marker).toBeGreaterThanOrEqual(0);
  return `${flow.slice(0, index + shift)}|${flow.slice(index + shift)}`;
}

describe('definition', () => {
  it("goes from every place that names a node to that node's id", () => {
    // ARRANGE: the fetch node's id is on the line of its definition.
    const places: [string, number][] = [
      ['"from": "fetch"', 10],
      ['"mocks": { "fetch"', 13],
      ['"layout": { "fetch"', 14],
      ['nodes.fetch.body', 8],
      ['"nodes.fetch.status"', 9],
    ];
    for (const [marker, shift] of places) {
      const { doc, position } = documentAt(cursorIn(GREET_FLOW, marker, shift));
      // ACT
      const range = definitionAt(doc, position);
      // ASSERT
      expect(range, marker).toBeDefined();
      expect(textOf(doc.text, range!)).toBe('"fetch"');
      expect(range!.start.line).toBe(doc.text.split('\n').findIndex((line) => line.includes('{ "id": "fetch"')));
    }
  });

  it('goes from a test expectation key and an edge end to the node', () => {
    const one = documentAt(cursorIn(GREET_FLOW, '"nodes": { "greet"', 13));
    const two = documentAt(cursorIn(GREET_FLOW, '"to": "check"', 8));
    expect(textOf(one.doc.text, definitionAt(one.doc, one.position)!)).toBe('"greet"');
    expect(textOf(two.doc.text, definitionAt(two.doc, two.position)!)).toBe('"check"');
    expect(definitionAt(two.doc, two.position)!.start.line).toBe(two.doc.text.split('\n').findIndex((l) => l.includes('{ "id": "check"')));
  });

  it('goes from deeper in a path to the node it starts with', () => {
    const { doc, position } = documentAt(cursorIn(GREET_FLOW, 'nodes.fetch.body.name', 13));
    expect(textOf(doc.text, definitionAt(doc, position)!)).toBe('"fetch"');
  });

  it("goes from variables.x to the variable's key", () => {
    const { doc, position } = documentAt(cursorIn(GREET_FLOW, 'variables.greeting', 12));
    const range = definitionAt(doc, position)!;
    expect(textOf(doc.text, range)).toBe('"greeting"');
    expect(doc.text.split('\n')[range.start.line]).toContain('"variables": {');
  });

  it('goes into a loop body and from a body to an outer node', () => {
    // ARRANGE
    const flow = `{ "version": 1, "id": "x", "nodes": [
      { "id": "outer", "type": "transform", "config": { "output": [1, 2] } },
      { "id": "each", "type": "loop", "config": { "items": "{{ nodes.outer }}", "body": {
        "nodes": [ { "id": "inner", "type": "transform", "config": { "output": "{{ nodes.outer[0] }}" } } ],
        "output": "{{ nodes.inner }}" } } }
    ], "edges": [ { "from": "outer", "to": "each" } ] }`;
    const fromBody = documentAt(cursorIn(flow, 'nodes.outer[0]', 8));
    const toBody = documentAt(cursorIn(flow, 'nodes.inner }}', 8));
    // ACT + ASSERT
    expect(definitionAt(fromBody.doc, fromBody.position)!.start.line).toBe(1);
    expect(definitionAt(toBody.doc, toBody.position)!.start.line).toBe(3);
  });

  it('has no definition for an unknown node or plain text', () => {
    const flow = GREET_FLOW.replace('"to": "check"', '"to": "nope"');
    const unknown = documentAt(cursorIn(flow, '"nope"', 2));
    expect(definitionAt(unknown.doc, unknown.position)).toBeUndefined();
    const plain = documentOf(GREET_FLOW);
    expect(definitionAt(plain, { line: 0, character: 0 })).toBeUndefined();
  });
});
