import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareRename, rename, renameEdits } from '../../../src/language/rename';
import type { TextEdit } from '../../../src/language/textEdit';
import { applyEdits, documentAt, documentOf, textOf } from './languageTestUtils';

/**
 * Node `a` is read everywhere a node can be read; `ab` and `input.a` must survive renaming it.
 *
 *   a -> check -(true)-> end
 *   a, ab -> sw -(big)-> end
 *   a (map), ab -> each -> end        each's body: inner
 *   a -> js -> end
 */
const FLOW = `{
  // rename fixture
  "version": 1,
  "id": "ren",
  "nodes": [
    { "id": "a", "type": "transform", "config": { "output": { "x": 1, "a": 0 } } }, // the one to rename
    { "id": "ab", "type": "transform", "config": { "output": 2 } },
    { "id": "check", "type": "if", "config": { "condition": { "==": [{ "var": "nodes.a.x" }, 1] } } },
    { "id": "sw", "type": "switch", "config": { "cases": [{ "port": "big", "condition": "nodes.a.x > 0 && nodes.ab > 1" }] } },
    { "id": "each", "type": "loop", "config": { "items": "{{ [nodes.a] }}", "body": {
      "nodes": [{ "id": "inner", "type": "transform", "config": { "output": "{{ nodes.a.x + input.a + nodes[\\"a\\"].x + nodes.ab }}" } }],
      "output": "{{ nodes.inner }}"
    } } },
    { "id": "js", "type": "code", "config": { "code": "return nodes.a.x + nodes.ab + other.nodes.a;" } },
    { "id": "end", "type": "merge", "config": {} }
  ],
  "edges": [
    { "from": "a", "to": "check" },
    { "from": "a", "to": "sw" },
    { "from": "ab", "to": "sw" },
    { "from": "a", "to": "each", "map": { "v": "{{ input.x }}", "w": "{{ nodes.a }}" } },
    { "from": "ab", "to": "each" },
    { "from": "a", "to": "js" },
    { "from": "check", "port": "true", "to": "end" },
    { "from": "sw", "port": "big", "to": "end" },
    { "from": "each", "to": "end" },
    { "from": "js", "to": "end" }
  ],
  "output": "{{ nodes.end }}",
  "tests": [
    { "name": "t", "mocks": { "a": { "output": { "x": 5 } } }, "expect": { "nodes": { "a": { "status": "completed" } } } }
  ],
  "layout": { "a": { "x": 0, "y": 0 }, "ab": { "x": 1, "y": 0 } }
}
`;

function cursorIn(marker: string, shift: number, flow = FLOW): string {
  const index = flow.indexOf(marker);
  expect(index, marker).toBeGreaterThanOrEqual(0);
  return `${flow.slice(0, index + shift)}|${flow.slice(index + shift)}`;
}

function renamed(marker: string, shift: number, newName: string): { text: string; edits: TextEdit[] } {
  const { doc, position } = documentAt(cursorIn(marker, shift));
  const result = rename(doc, position, newName);
  if (!Array.isArray(result)) throw new Error(result.error);
  return { text: applyEdits(FLOW, result), edits: result };
}

describe('rename a node', () => {
  it('starts from a fixture that compiles without errors', () => {
    expect(documentOf(FLOW).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('offers the id under the cursor as what is renamed', () => {
    const { doc, position } = documentAt(cursorIn('"nodes.a.x"', 7));
    const prepared = prepareRename(doc, position)!;
    expect(prepared.placeholder).toBe('a');
    expect(textOf(FLOW, prepared.range)).toBe('a');
  });

  it('moves the id, every edge end, every nodes.a path, var paths, code, tests and layout, and nothing else', () => {
    // ACT
    const { text, edits } = renamed('{ "id": "a"', 10, 'first');
    // ASSERT
    expect(edits.every((e) => e.newText === 'first')).toBe(true);
    expect(text).toContain('{ "id": "first", "type": "transform"');
    // A key named like the node is data, not a reference: it stays.
    expect(text).toContain('"output": { "x": 1, "a": 0 } }');
    expect(text.match(/"from": "first"/g)).toHaveLength(4);
    expect(text).toContain('{ "var": "nodes.first.x" }');
    expect(text).toContain('"condition": "nodes.first.x > 0 && nodes.ab > 1"');
    expect(text).toContain('"items": "{{ [nodes.first] }}"');
    expect(text).toContain('"output": "{{ nodes.first.x + input.a + nodes[\\"first\\"].x + nodes.ab }}"');
    expect(text).toContain('"w": "{{ nodes.first }}"');
    expect(text).toContain('"code": "return nodes.first.x + nodes.ab + other.nodes.a;"');
    expect(text).toContain('"mocks": { "first": {');
    expect(text).toContain('"expect": { "nodes": { "first": {');
    expect(text).toContain('"layout": { "first": { "x": 0, "y": 0 }, "ab": {');
    // Comments and formatting are kept: only identifiers changed.
    expect(text).toContain('// rename fixture');
    expect(text).toContain('// the one to rename');
    expect(text.replace(/first/g, 'a')).toBe(FLOW);
    // The result compiles, and nothing reads the old name any more (`other.nodes.a` in code is not the flow's).
    const after = documentOf(text);
    expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(after.expressions.references.filter((r) => r.root === 'nodes' && r.path[0] === 'a')).toEqual([]);
  });

  it('gives the same edits from an edge end, a template, a condition, a test key and a layout key', () => {
    const fromId = renamed('{ "id": "a"', 10, 'first').text;
    for (const [marker, shift] of [
      ['{ "from": "a"', 12],
      ['[nodes.a]', 7],
      ['"nodes.a.x > 0', 7],
      ['"mocks": { "a"', 13],
      ['"layout": { "a"', 14],
      ['nodes.a.x + nodes.ab + other', 6],
    ] as const) {
      expect(renamed(marker, shift, 'first').text, marker).toBe(fromId);
    }
  });

  it('writes a new id with a dash in brackets where a dot would read as a minus', () => {
    const { text } = renamed('{ "id": "a"', 10, 'my-a');
    expect(text).toContain(`"items": "{{ [nodes['my-a']] }}"`);
    expect(text).toContain(`"condition": "nodes['my-a'].x > 0 && nodes.ab > 1"`);
    expect(text).toContain('{ "var": "nodes.my-a.x" }');
    expect(text).toContain('nodes[\\"my-a\\"].x');
    expect(text).toContain(`"code": "return nodes['my-a'].x + nodes.ab + other.nodes.a;"`);
    expect(documentOf(text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('renames input.<id> where a merge combines its sources by id, and only there', () => {
    // ARRANGE: fetch and other -> both (merge, combine object) -> report (reads input.fetch) and, through a map, -> note;
    // fetch -> direct, whose input.fetch is a key of fetch's own output.
    const flow = `{
  "version": 1,
  "id": "merged",
  "nodes": [
    { "id": "fetch", "type": "transform", "config": { "output": { "fetch": 1 } } },
    { "id": "other", "type": "transform", "config": { "output": 2 } },
    { "id": "both", "type": "merge", "config": {} },
    { "id": "report", "type": "transform", "config": { "output": "{{ input.fetch.fetch + input.other }}" } },
    { "id": "note", "type": "transform", "config": { "output": "{{ input.v }}" } },
    { "id": "direct", "type": "transform", "config": { "output": "{{ input.fetch }}" } }
  ],
  "edges": [
    { "from": "fetch", "to": "both" },
    { "from": "other", "to": "both" },
    { "from": "both", "to": "report" },
    { "from": "both", "to": "note", "map": { "v": "{{ input.fetch }}" } },
    { "from": "fetch", "to": "direct" }
  ]
}
`;
    const { doc, position } = documentAt(cursorIn('{ "id": "fetch"', 10, flow));

    // ACT
    const result = rename(doc, position, 'load');
    if (!Array.isArray(result)) throw new Error(result.error);
    const text = applyEdits(flow, result);

    // ASSERT
    expect(text).toContain('"output": "{{ input.load.fetch + input.other }}"');
    expect(text).toContain('"map": { "v": "{{ input.load }}" }');
    expect(text).toContain('{ "id": "direct", "type": "transform", "config": { "output": "{{ input.fetch }}" } }');
    expect(text).toContain('"output": { "fetch": 1 }');
    expect(documentOf(text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('renames a node of a loop body', () => {
    const { text } = renamed('{ "id": "inner"', 10, 'step');
    expect(text).toContain('{ "id": "step", "type": "transform"');
    expect(text).toContain('"output": "{{ nodes.step }}"');
    expect(documentOf(text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses an invalid id, an id in use, and what is no node id', () => {
    const { doc, position } = documentAt(cursorIn('{ "id": "a"', 10));
    expect(rename(doc, position, '1st')).toEqual({ error: expect.stringContaining("'1st' is not a valid node id") });
    expect(rename(doc, position, 'ab')).toEqual({ error: "A node with id 'ab' already exists in this flow." });
    expect(rename(doc, position, 'inner')).toEqual({ error: "A node with id 'inner' already exists in this flow." });
    const elsewhere = documentAt(cursorIn('"id": "ren"', 9));
    expect(prepareRename(elsewhere.doc, elsewhere.position)).toBeUndefined();
    expect(rename(elsewhere.doc, elsewhere.position, 'x')).toEqual({ error: 'Only a node id can be renamed here.' });
  });

  it('returns no edits for the same name', () => {
    const { doc, position } = documentAt(cursorIn('{ "id": "a"', 10));
    expect(rename(doc, position, 'a')).toEqual([]);
  });

  it('keeps every sample flow as it was, whichever node is renamed', () => {
    const dir = join(__dirname, '../../../samples');
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.flow.json'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      const doc = documentOf(text);
      const codes = doc.diagnostics.map((d) => d.code);
      for (const node of doc.model.nodes) {
        // ACT
        const after = documentOf(applyEdits(text, renameEdits(doc, node.id!, `${node.id}_renamed`)));
        // ASSERT: the same diagnostics (none of them errors), and no path reads the old id. Except one thing rename
        // does not rewrite (yet): a merge with combine "object" keys its output by source id, so a read of
        // `input.<old id>` after it now misses, and the type checks say so (unknown-property on that key).
        const keyMisses = after.diagnostics.filter((d) => d.code === 'unknown-property' && d.data?.property === node.id);
        expect(keyMisses.every((d) => d.message.includes(`${node.id}_renamed`)), `${name}: ${node.id}`).toBe(true);
        expect(after.diagnostics.filter((d) => !keyMisses.includes(d)).map((d) => d.code), `${name}: ${node.id}`).toEqual(codes);
        expect(after.expressions.references.filter((r) => r.root === 'nodes' && r.path[0] === node.id)).toEqual([]);
      }
    }
  });
});
