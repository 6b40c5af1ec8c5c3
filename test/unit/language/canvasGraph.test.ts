import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFlow } from '../../../src/api/loadFlow';
import { canvasGraphFromCompiled, canvasGraphFromText } from '../../../src/language/canvasGraph';
import { portList } from '../../../src/language/nodePorts';
import { ifNodeType } from '../../../src/engine/nodes/if';

const SAMPLES = join(__dirname, '../../../samples');
const sample = (name: string): string => readFileSync(join(SAMPLES, name), 'utf8');

describe('canvasGraphFromText', () => {
  it('reads nodes, ports and edges of a sample', () => {
    // check ─true→ review ─┐
    //       └false→ tax ───┴→ done → note
    const graph = canvasGraphFromText(sample('order-intake.flow.json'));
    expect(graph.nodes.map((n) => n.id)).toEqual(['check', 'review', 'tax', 'done', 'note']);
    expect(graph.nodes[0]).toMatchObject({ type: 'if', ports: ['true', 'false', 'error'], knownType: true });
    expect(graph.nodes[3].ports).toEqual(['out', 'error']);
    expect(graph.edges[0]).toEqual({ index: 0, from: 'check', to: 'review', port: 'true' });
    expect(graph.edges[2]).toEqual({ index: 2, from: 'review', to: 'done', port: 'out' });
    expect(graph.readOnly).toBe(false);
    expect(graph.problems).toEqual([]);
    expect(graph.nodes[0].range?.start.line).toBe(19);
    // The canvas's title comes from it: "order-intake (canvas)".
    expect(graph.flowId).toBe('order-intake');
  });

  it('gives switch and split nodes the ports of their config', () => {
    const text = JSON.stringify({
      version: 1,
      id: 'x',
      nodes: [
        { id: 's', type: 'switch', config: { cases: [{ port: 'eu', condition: 'true' }, { port: 'us', condition: 'true' }] } },
        { id: 'ab', type: 'split', config: { branches: [{ port: 'a', weight: 1 }, { port: 'b', weight: 1 }] } },
      ],
    });
    const graph = canvasGraphFromText(text);
    expect(graph.nodes[0].ports).toEqual(['eu', 'us', 'default', 'error']);
    expect(graph.nodes[1].ports).toEqual(['a', 'b', 'error']);
  });

  it('draws a loop body as the loop node’s sub-graph, with its layout entries', () => {
    const text = sample('overdue-invoices.flow.json').replace('"tests": [', '"layout": { "message": { "x": 5, "y": 6 } },\n  "tests": [');
    const graph = canvasGraphFromText(text);
    const loop = graph.nodes.find((n) => n.id === 'remind')!;
    expect(loop.body?.nodes.map((n) => n.id)).toEqual(['message', 'urgent', 'escalate', 'send']);
    expect(loop.body?.edges).toContainEqual({ index: 1, from: 'urgent', to: 'escalate', port: 'true' });
    expect(loop.body?.layout).toEqual({ message: { x: 5, y: 6 } });
    expect(graph.layout).toEqual({ message: { x: 5, y: 6 } });
  });

  it('reads name and disabled, and the config as written', () => {
    const text = '{ "version": 1, "id": "x", "nodes": [{ "id": "a", "type": "log", "name": "Say", "disabled": true, "config": { "message": "{{ input }}" } }] }';
    const [node] = canvasGraphFromText(text).nodes;
    expect(node).toMatchObject({ name: 'Say', disabled: true, config: { message: '{{ input }}' } });
  });

  it('shows what parses of a broken text, read-only, and says why', () => {
    const text = '{\n  "version": 1,\n  "id": "x",\n  "nodes": [\n    { "id": "a", "type": "log" },\n    { "id": "b", "type": "log" }\n  ],\n  "edges": [{ "from": "a", "to": "b" }, { "from": "a", "to": \n}';
    const graph = canvasGraphFromText(text);
    expect(graph.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(graph.edges).toEqual([{ index: 0, from: 'a', to: 'b', port: 'out' }]);
    expect(graph.readOnly).toBe(true);
    expect(graph.problems[0]).toMatch(/syntax errors/);
  });

  it('keeps unknown types and edges to missing nodes out of the way, with a problem each', () => {
    const text = JSON.stringify({
      version: 1,
      id: 'x',
      nodes: [{ id: 'a', type: 'crm.lookup' }, { id: 'b', type: 'log' }],
      edges: [{ from: 'a', port: 'found', to: 'b' }, { from: 'a', to: 'ghost' }],
    });
    const graph = canvasGraphFromText(text);
    expect(graph.nodes[0]).toMatchObject({ knownType: false, ports: ['out', 'found', 'error'] });
    expect(graph.edges).toHaveLength(1);
    expect(graph.problems.join(' ')).toMatch(/crm\.lookup/);
    expect(graph.problems.join(' ')).toMatch(/ghost/);
  });
});

describe('portList', () => {
  it('lists the type’s ports, ports only edges name, then error', () => {
    expect(portList(ifNodeType, {}, ['true', 'maybe', 'error'])).toEqual(['true', 'false', 'maybe', 'error']);
    expect(portList(undefined, {}, [])).toEqual(['out', 'error']);
  });
});

describe('canvasGraphFromCompiled', () => {
  it('draws a .flow.ts read-only, functions shown as such', () => {
    const compiled = loadFlow(join(SAMPLES, 'score-lead.flow.ts'));
    expect(compiled.flow).toBeDefined();
    const graph = canvasGraphFromCompiled(compiled.flow!);
    expect(graph.readOnly).toBe(true);
    expect(graph.nodes.map((n) => n.id)).toEqual(['score', 'hot', 'notify', 'nurture']);
    expect(graph.flowId).toBe(compiled.flow!.id);
    expect(graph.nodes[0].config).toEqual({ code: '[function]' });
    expect(graph.nodes[1].ports).toEqual(['true', 'false', 'error']);
    expect(graph.edges).toContainEqual({ index: 1, from: 'hot', to: 'notify', port: 'true' });
    // Survives the worker's structured clone.
    expect(structuredClone(graph)).toEqual(graph);
  });

  it('draws a compiled loop’s body', () => {
    const compiled = loadFlow(join(SAMPLES, 'overdue-invoices.flow.json'));
    const graph = canvasGraphFromCompiled(compiled.flow!);
    expect(graph.nodes[1].body?.nodes.map((n) => n.id)).toEqual(['message', 'urgent', 'escalate', 'send']);
  });
});
