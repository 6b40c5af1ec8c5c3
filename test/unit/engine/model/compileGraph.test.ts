import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import type { CompiledFlow, CompiledGraph } from '../../../../src/engine/model/compiledFlow';
import { DEFAULT_RETRY } from '../../../../src/engine/model/compiledFlow';
import type { Diagnostic } from '../../../../src/engine/model/diagnostics';
import { createTestRegistry } from '../../../support/testNodeTypes';

const registry = createTestRegistry();

function compileObject(flow: object): { flow?: CompiledFlow; diagnostics: Diagnostic[] } {
  return compileFlow(JSON.stringify({ version: 1, id: 'f', ...flow }, null, 2), { registry });
}

function ids(nodes: { id: string }[]): string[] {
  return nodes.map((n) => n.id);
}

describe('compileGraph: the compiled graph', () => {
  //   start
  //   /    \
  // left  right --error--> recover
  //   \    /
  //    join
  const { flow, diagnostics } = compileObject({
    nodes: [
      { id: 'start', type: 'transform', config: { output: '{{ trigger }}' } },
      { id: 'left', type: 'http', config: { url: 'https://x.test' }, retry: { maxAttempts: 3, backoff: 'fixed' } },
      { id: 'right', type: 'http', config: { url: 'https://y.test' }, timeoutMs: 500, onError: 'skip' },
      { id: 'recover', type: 'transform', config: { output: 'r' } },
      { id: 'join', type: 'merge', config: { mode: 'first' }, disabled: true },
    ],
    edges: [
      { from: 'start', to: 'left' },
      { from: 'start', to: 'right', map: { url: '{{ input.url }}' } },
      { from: 'right', port: 'error', to: 'recover' },
      { from: 'left', to: 'join' },
      { from: 'right', to: 'join' },
    ],
  });
  const graph = flow?.graph as CompiledGraph;

  it('compiles without diagnostics', () => {
    expect(diagnostics).toEqual([]);
  });

  it('links edges to nodes, in edge order, with the default port', () => {
    const join = graph.byId.get('join')!;
    expect(join.incoming.map((e) => [e.from.id, e.port])).toEqual([
      ['left', 'out'],
      ['right', 'out'],
    ]);
    expect(graph.byId.get('right')!.outgoing.map((e) => [e.to.id, e.port])).toEqual([
      ['recover', 'error'],
      ['join', 'out'],
    ]);
    expect(graph.edges.map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    expect(graph.edges[1].map?.isStatic).toBe(false);
    expect(graph.edges[0].map).toBeUndefined();
  });

  it('finds roots, sinks and a topological order', () => {
    expect(ids(graph.roots)).toEqual(['start']);
    expect(ids(graph.sinks)).toEqual(['recover', 'join']);
    const position = new Map(graph.order.map((n, i) => [graph.nodes[n].id, i]));
    for (const edge of graph.edges) expect(position.get(edge.from.id)!).toBeLessThan(position.get(edge.to.id)!);
  });

  it('resolves retry, timeout, onError, disabled, error handling and readiness', () => {
    const [start, left, right, , join] = graph.nodes;
    expect(start.retry).toEqual(DEFAULT_RETRY);
    expect(left.retry).toEqual({ ...DEFAULT_RETRY, maxAttempts: 3, backoff: 'fixed' });
    expect(left.timeoutMs).toBe(30_000); // the type's default
    expect(right.timeoutMs).toBe(500);
    expect(start.timeoutMs).toBeUndefined();
    expect(right.onError).toBe('skip');
    expect(left.onError).toBe('fail');
    expect(right.handlesErrors).toBe(true);
    expect(left.handlesErrors).toBe(false);
    expect(join.disabled).toBe(true);
    expect(join.startsOnFirstInput).toBe(true);
    expect(left.startsOnFirstInput).toBe(false);
  });

  it('compiles a config without prepare as one template, and keeps the raw config', () => {
    const start = graph.byId.get('start')!;
    expect(start.rawConfig).toEqual({ output: '{{ trigger }}' });
    expect(start.config.isStatic).toBe(false);
    expect(start.type.type).toBe('transform');
    expect(start.ports).toEqual(['out']);
  });

  it('locates each node in the source', () => {
    const text = JSON.stringify({ version: 1, id: 'f', nodes: [{ id: 'a', type: 'transform', config: { output: 1 } }] }, null, 2);
    const node = compileFlow(text, { registry }).flow!.graph.nodes[0];
    expect(node.range?.start).toEqual({ line: 4, character: 4 });
    expect(node.range?.end).toEqual({ line: 10, character: 5 });
  });

  it('computes ports from the config and checks edges against them', () => {
    const result = compileObject({
      nodes: [
        { id: 'route', type: 'switch', config: { cases: [{ port: 'eu', condition: 'input.eu' }] } },
        { id: 'eu', type: 'transform', config: { output: 1 } },
        { id: 'other', type: 'transform', config: { output: 1 } },
      ],
      edges: [
        { from: 'route', port: 'eu', to: 'eu' },
        { from: 'route', port: 'default', to: 'other' },
      ],
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.flow?.graph.byId.get('route')?.ports).toEqual(['eu', 'default']);
  });

  it('allows the out port of a node whose failures are skipped', () => {
    const result = compileObject({
      nodes: [
        { id: 'check', type: 'if', onError: 'skip', config: { condition: 'trigger.ok' } },
        { id: 'after', type: 'transform', config: { output: 1 } },
      ],
      edges: [{ from: 'check', to: 'after' }],
    });
    expect(result.diagnostics).toEqual([]);
  });
});

describe('compileGraph: loop bodies', () => {
  it('compiles a body as a graph of its own, whose templates may read outer upstream nodes, item and index', () => {
    // fetch -> each(loop: [format -> tag]) -> done
    const { flow, diagnostics } = compileObject({
      nodes: [
        { id: 'fetch', type: 'transform', config: { output: [1, 2] } },
        {
          id: 'each',
          type: 'loop',
          config: {
            items: '{{ nodes.fetch }}',
            body: {
              nodes: [
                { id: 'format', type: 'transform', config: { output: '{{ item }} of {{ len(nodes.fetch) }} at {{ index }}' } },
                { id: 'tag', type: 'transform', config: { output: '{{ nodes.format }}!' } },
              ],
              edges: [{ from: 'format', to: 'tag' }],
              output: '{{ nodes.tag }}',
            },
          },
        },
        { id: 'done', type: 'transform', config: { output: '{{ nodes.each }}' } },
      ],
      edges: [
        { from: 'fetch', to: 'each' },
        { from: 'each', to: 'done' },
      ],
    });
    expect(diagnostics).toEqual([]);
    const body = (flow!.graph.byId.get('each')!.prepared as { body: CompiledGraph }).body;
    expect(ids(body.nodes)).toEqual(['format', 'tag']);
    expect(ids(body.roots)).toEqual(['format']);
    expect(body.output).toBeDefined();
    expect(flow!.graph.byId.has('format')).toBe(false);
  });

  it('reports body problems at their place inside the config', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "a", "type": "transform", "config": { "output": 1 } },',
      '    { "id": "each", "type": "loop", "config": { "items": "{{ trigger.list }}", "body": {',
      '      "nodes": [',
      '        { "id": "a", "type": "transform", "config": { "output": 1 } },',
      '        { "id": "later", "type": "transform", "config": { "output": "{{ nodes.done }}" } }',
      '      ],',
      '      "edges": [{ "from": "a", "to": "nowhere" }]',
      '    } } },',
      '    { "id": "done", "type": "transform", "config": { "output": 1 } }',
      '  ],',
      '  "edges": [{ "from": "a", "to": "each" }, { "from": "each", "to": "done" }]',
      '}',
    ];
    const result = compileFlow(lines.join('\n'), { registry });
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.range?.start.line, d.message])).toEqual([
      ['duplicate-node-id', 'error', 5, "Duplicate node id 'a': already used on line 3"],
      ['not-upstream', 'warning', 6, "Node 'done' is not upstream of loop 'each', so nodes.done may be undefined in its body"],
      ['unknown-node', 'error', 8, "Unknown node 'nowhere'"],
    ]);
  });

  it('reports a body that is not { nodes, edges, output }', () => {
    const result = compileObject({
      nodes: [{ id: 'each', type: 'loop', config: { items: '{{ trigger }}', body: { nodes: [], edgez: [] } } }],
    });
    expect(result.diagnostics.map((d) => [d.code, d.message, d.path])).toEqual([
      ['invalid-schema', 'A body has at least one node', ['nodes', 0, 'config', 'body', 'nodes']],
      ['invalid-schema', "Unknown key 'edgez'. Did you mean 'edges'?", ['nodes', 0, 'config', 'body', 'edgez']],
    ]);
  });

  it('does not connect an edge across graphs', () => {
    const result = compileObject({
      nodes: [
        { id: 'outer', type: 'transform', config: { output: 1 } },
        { id: 'each', type: 'loop', config: { items: '{{ trigger }}', body: { nodes: [{ id: 'inner', type: 'transform', config: { output: 1 } }] } } },
      ],
      edges: [{ from: 'outer', to: 'inner' }],
    });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['unknown-node', "Node 'inner' is not in this graph: an edge connects nodes of the same graph (a loop body is a graph of its own)"],
    ]);
  });
});
