import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, parse, type Edit } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../src/engine/model/compileFlow';
import { z } from 'zod';
import { addNode, connect, deleteElements, moveNodes, setNodeFields, starterConfig, uniqueNodeId } from '../../../src/language/canvasEdits';

const SAMPLES = join(__dirname, '../../../samples');
const sample = (name: string): string => readFileSync(join(SAMPLES, name), 'utf8');

function apply(text: string, edits: Edit[]): string {
  return applyEdits(text, edits);
}

/** The lines that differ between two texts, after their common start and end. */
function changed(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { removed: a.slice(start, endA), added: b.slice(start, endB) };
}

function compiles(text: string): void {
  const result = compileFlow(text, { file: join(SAMPLES, 'edited.flow.json') });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
}

const WITH_COMMENTS = `{
  // A small flow with comments everywhere.
  "version": 1,
  "id": "commented",
  "nodes": [
    { "id": "a", "type": "transform", "config": { "output": 1 } }, // the start
    // b routes
    { "id": "b", "type": "if", "config": { "condition": "{{ input > 0 }}" } },
    { "id": "c", "type": "log", "config": { "message": "yes" } },
    { "id": "d", "type": "log", "config": { "message": "no" } } // the end
  ],
  "edges": [
    { "from": "a", "to": "b" },
    { "from": "b", "port": "true", "to": "c" } // taken when positive
  ],
  "layout": {
    "a": { "x": 0, "y": 0 },
    "b": { "x": 200, "y": 0 }
  }
}
`;

describe('moveNodes', () => {
  it('changes one line when the node already has a layout entry', () => {
    // ARRANGE
    const text = WITH_COMMENTS;
    // ACT
    const after = apply(text, moveNodes(text, { b: { x: 240.4, y: 80 } }));
    // ASSERT
    expect(changed(text, after)).toEqual({ removed: ['    "b": { "x": 200, "y": 0 }'], added: ['    "b": { "x": 240, "y": 80 }'] });
    expect(after).toContain('// taken when positive');
  });

  it('adds missing entries one per line to an existing layout', () => {
    const after = apply(WITH_COMMENTS, moveNodes(WITH_COMMENTS, { c: { x: 400, y: 0 }, d: { x: 400, y: 100 } }));
    expect(changed(WITH_COMMENTS, after)).toEqual({
      removed: ['    "b": { "x": 200, "y": 0 }'],
      added: ['    "b": { "x": 200, "y": 0 },', '    "c": { "x": 400, "y": 0 },', '    "d": { "x": 400, "y": 100 }'],
    });
    expect((parse(after) as { layout: object }).layout).toEqual({ a: { x: 0, y: 0 }, b: { x: 200, y: 0 }, c: { x: 400, y: 0 }, d: { x: 400, y: 100 } });
  });

  it('creates layout with every position given, at the end of a sample, keeping the rest of the text', () => {
    const text = sample('order-intake.flow.json');
    const positions = { check: { x: 0, y: 0 }, review: { x: 250, y: -60 }, tax: { x: 250, y: 60 }, done: { x: 500, y: 0 }, note: { x: 750, y: 0 } };
    const after = apply(text, moveNodes(text, positions));
    compiles(after);
    expect((parse(after) as { layout: object }).layout).toEqual(positions);
    const diff = changed(text, after);
    // Only the end of the file changes: the old last line gets a comma, then the layout lines follow.
    expect(diff.removed).toEqual(['  ]']);
    expect(diff.added[0]).toBe('  ],');
    expect(diff.added).toContain('    "review": { "x": 250, "y": -60 },');
    expect(after.startsWith(text.slice(0, text.lastIndexOf('  ]')))).toBe(true);
  });

  it('ignores ids that are not nodes of the flow', () => {
    expect(moveNodes(WITH_COMMENTS, { nope: { x: 1, y: 1 } })).toEqual([]);
  });

  it('refuses a text with syntax errors', () => {
    expect(() => moveNodes('{ "nodes": [ { "id": "a" ', { a: { x: 0, y: 0 } })).toThrow(/syntax errors/);
  });
});

describe('connect', () => {
  it('appends the edge on its own line, port omitted for out, comment of the last edge kept on its line', () => {
    const after = apply(WITH_COMMENTS, connect(WITH_COMMENTS, 'b', 'false', 'd'));
    expect(changed(WITH_COMMENTS, after)).toEqual({
      removed: ['    { "from": "b", "port": "true", "to": "c" } // taken when positive'],
      added: ['    { "from": "b", "port": "true", "to": "c" }, // taken when positive', '    { "from": "b", "to": "d", "port": "false" }'],
    });
    compiles(after);
  });

  it('writes no port for out and nothing for an edge that exists', () => {
    const text = sample('order-intake.flow.json');
    const after = apply(text, connect(text, 'check', 'out', 'note'));
    expect(after).toContain('{ "from": "check", "to": "note" }');
    expect(connect(text, 'check', 'true', 'review')).toEqual([]);
  });

  it('refuses a cycle, a self-edge, and an edge across a loop body border', () => {
    const loops = sample('overdue-invoices.flow.json');
    expect(() => connect(WITH_COMMENTS, 'c', 'out', 'a')).toThrow(/cycle/);
    expect(() => connect(WITH_COMMENTS, 'a', 'out', 'a')).toThrow(/itself/);
    expect(() => connect(loops, 'overdue', 'out', 'message')).toThrow(/same graph/);
  });

  it('connects inside a loop body by editing the body', () => {
    const text = sample('overdue-invoices.flow.json');
    const after = apply(text, connect(text, 'urgent', 'false', 'send'));
    compiles(after);
    const flow = parse(after) as { nodes: { config: { body: { edges: unknown[] } } }[] };
    expect(flow.nodes[1].config.body.edges.at(-1)).toEqual({ from: 'urgent', to: 'send', port: 'false' });
    expect(changed(text, after).added).toHaveLength(2);
  });

  it('creates edges after nodes when the flow has none', () => {
    const text = '{\n  "version": 1,\n  "id": "x",\n  "nodes": [\n    { "id": "a", "type": "log", "config": { "message": "a" } },\n    { "id": "b", "type": "log", "config": { "message": "b" } }\n  ],\n  "tests": []\n}\n';
    const after = apply(text, connect(text, 'a', 'out', 'b'));
    compiles(after);
    expect(after).toContain('  ],\n  "edges": [\n    { "from": "a", "to": "b" }\n  ],\n  "tests": []');
  });
});

describe('deleteElements', () => {
  it('removes a node with its edges and layout entry, whole lines only, comments between entries kept', () => {
    // ARRANGE: a → b → c, and b's layout entry
    const text = WITH_COMMENTS;
    // ACT
    const after = apply(text, deleteElements(text, ['b'], []));
    // ASSERT
    const flow = parse(after) as { nodes: { id: string }[]; edges: unknown[]; layout: object };
    expect(flow.nodes.map((n) => n.id)).toEqual(['a', 'c', 'd']);
    expect(flow.edges).toEqual([]);
    expect(flow.layout).toEqual({ a: { x: 0, y: 0 } });
    expect(after).toContain('// the start');
    expect(after).toContain('// b routes');
    expect(after).toContain('// the end');
    expect(after).not.toContain('"id": "b"');
    compiles(after);
  });

  it('removes an edge by index, and the last entry takes its comma with it', () => {
    const text = sample('order-intake.flow.json');
    const after = apply(text, deleteElements(text, [], [{ index: 4 }]));
    // Without its edge, `note` is a root: its input is the trigger, which has no `queue`, and the type checks say so.
    const errors = compileFlow(after, { file: join(SAMPLES, 'edited.flow.json') }).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.data?.property])).toEqual([['unknown-property', 'queue']]);
    expect(changed(text, after)).toEqual({
      removed: ['    { "from": "tax", "to": "done" },', '    { "from": "done", "to": "note" }'],
      added: ['    { "from": "tax", "to": "done" }'],
    });
  });

  it('removes a loop with its body nodes and their layout entries; a body node alone edits the body', () => {
    const text = apply(sample('overdue-invoices.flow.json'), moveNodes(sample('overdue-invoices.flow.json'), { remind: { x: 1, y: 1 }, message: { x: 2, y: 2 } }));
    const withoutLoop = apply(text, deleteElements(text, ['remind'], []));
    const flow = parse(withoutLoop) as { nodes: { id: string }[]; edges: unknown[]; layout: object };
    expect(flow.nodes.map((n) => n.id)).toEqual(['overdue', 'summary']);
    expect(flow.edges).toEqual([]);
    expect(flow.layout).toEqual({});

    const withoutBodyNode = apply(text, deleteElements(text, ['escalate'], [{ owner: 'remind', index: 0 }]));
    compiles(withoutBodyNode);
    const body = (parse(withoutBodyNode) as { nodes: { config: { body: { nodes: { id: string }[]; edges: unknown[] } } }[] }).nodes[1].config.body;
    expect(body.nodes.map((n) => n.id)).toEqual(['message', 'urgent', 'send']);
    expect(body.edges).toEqual([{ from: 'message', to: 'send' }]);
  });
});

describe('addNode', () => {
  it('appends a node with a unique id and writes its layout entry', () => {
    const text = WITH_COMMENTS;
    const { id, edits } = addNode(text, 'log', { x: 600, y: 50 }, { config: { message: '' } });
    const after = apply(text, edits);
    expect(id).toBe('log1');
    const flow = parse(after) as { nodes: { id: string }[]; layout: Record<string, unknown> };
    expect(flow.nodes.at(-1)).toEqual({ id: 'log1', type: 'log', config: { message: '' } });
    expect(flow.layout.log1).toEqual({ x: 600, y: 50 });
    expect(after).toContain('    { "id": "d", "type": "log", "config": { "message": "no" } }, // the end\n    { "id": "log1"');
    compiles(after);
  });

  it('adds into a loop body', () => {
    const text = sample('overdue-invoices.flow.json');
    const { id, edits } = addNode(text, 'transform', { x: 10, y: 10 }, { into: 'remind', config: { output: 1 } });
    const after = apply(text, edits);
    compiles(after);
    const body = (parse(after) as { nodes: { config: { body: { nodes: { id: string }[] } } }[] }).nodes[1].config.body;
    expect(body.nodes.at(-1)?.id).toBe(id);
  });

  it('picks ids that are free flow-wide', () => {
    expect(uniqueNodeId('log', new Set(['log1', 'log2']))).toBe('log3');
    expect(uniqueNodeId('my.crm', new Set())).toBe('my_crm1');
  });

  it('starts configs from the required properties of the schema', () => {
    const schema = z.object({ url: z.string(), level: z.enum(['info', 'warn']), n: z.number().optional() });
    expect(starterConfig(schema)).toEqual({ url: '', level: 'info' });
  });
});

describe('setNodeFields', () => {
  it('changes only the value that differs inside a multi-line node', () => {
    const text = sample('order-intake.flow.json');
    const flow = parse(text) as { nodes: { config: { output: Record<string, unknown> } }[] };
    const config = { output: { ...flow.nodes[2].config.output, queue: 'automatic' } };
    const after = apply(text, setNodeFields(text, 'tax', { config }));
    compiles(after);
    expect(changed(text, after)).toEqual({ removed: ['        "queue": "auto",'], added: ['        "queue": "automatic",'] });
  });

  it('sets a name and the disabled flag inline, and removes them again', () => {
    const text = WITH_COMMENTS;
    const named = apply(text, setNodeFields(text, 'c', { name: 'Say yes', disabled: true }));
    expect(changed(text, named)).toEqual({
      removed: ['    { "id": "c", "type": "log", "config": { "message": "yes" } },'],
      added: ['    { "id": "c", "type": "log", "config": { "message": "yes" }, "name": "Say yes", "disabled": true },'],
    });
    const back = apply(named, setNodeFields(named, 'c', { name: '', disabled: false }));
    expect(back).toBe(text);
  });

  it('adds and removes config keys, keeping comments', () => {
    const text = WITH_COMMENTS;
    const after = apply(text, setNodeFields(text, 'c', { config: { message: 'yes', level: 'warn' } }));
    expect(after).toContain('{ "id": "c", "type": "log", "config": { "message": "yes", "level": "warn" } },');
    expect(after).toContain('// b routes');
    compiles(after);
    const removed = apply(after, setNodeFields(after, 'c', { config: { level: 'warn' } }));
    expect(removed).toContain('"config": { "level": "warn" }');
  });
});
