// Property tests over random DAGs (issue 2): every node runs at most once, never before its inputs, and dead
// paths are skipped exactly as spec section 5 says. The expected statuses come from a separate, obviously
// correct model that walks the graph in topological order.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeType } from '../../../../src/engine/nodes/nodeType';
import { runDefinition } from '../../../support/runHelpers';

interface RandomNode {
  kind: 'pass' | 'if' | 'fail-skip' | 'async';
  condition: boolean;
}

interface RandomDag {
  nodes: RandomNode[];
  /** Edges from a lower index to a higher one, so the graph is acyclic; port 'true' | 'false' | 'out'. */
  edges: { from: number; to: number; branch: boolean }[];
}

const dagArbitrary: fc.Arbitrary<RandomDag> = fc
  .integer({ min: 2, max: 24 })
  .chain((n) =>
    fc.record({
      nodes: fc.array(
        fc.record({ kind: fc.constantFrom<RandomNode['kind']>('pass', 'pass', 'if', 'if', 'fail-skip', 'async'), condition: fc.boolean() }),
        { minLength: n, maxLength: n },
      ),
      edges: fc.array(
        fc
          .tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.boolean())
          .filter(([a, b]) => a !== b)
          .map(([a, b, branch]) => ({ from: Math.min(a, b), to: Math.max(a, b), branch })),
        { maxLength: n * 2 },
      ),
    }),
  )
  .map((dag) => {
    // One edge per pair and port, as a person would write it.
    const seen = new Set<string>();
    return { ...dag, edges: dag.edges.filter((e) => !seen.has(`${e.from}-${e.to}-${e.branch}`) && seen.add(`${e.from}-${e.to}-${e.branch}`)) };
  });

const asyncPass = defineNodeType({
  type: 'async-pass',
  title: 't',
  description: 't',
  configSchema: z.object({}).passthrough(),
  ports: ['out'],
  run: async (ctx) => {
    await new Promise((resolve) => setImmediate(resolve));
    return { output: ctx.input ?? null };
  },
});

function portOf(dag: RandomDag, edge: RandomDag['edges'][number]): string {
  return dag.nodes[edge.from].kind === 'if' ? (edge.branch ? 'true' : 'false') : 'out';
}

function toDefinition(dag: RandomDag): object {
  const nodes = dag.nodes.map((node, i) => {
    const id = `n${i}`;
    switch (node.kind) {
      case 'if':
        return { id, type: 'if', config: { condition: node.condition } };
      case 'fail-skip':
        return { id, type: 'fail', config: { message: 'x' }, onError: 'skip' };
      case 'async':
        return { id, type: 'async-pass' };
      default:
        return { id, type: 'transform', config: { output: { from: id } } };
    }
  });
  const edges = dag.edges.map((e) => ({ from: `n${e.from}`, to: `n${e.to}`, port: portOf(dag, e) }));
  return { version: 1, id: 'random', nodes, edges, settings: { concurrency: 3 } };
}

/** The reference model: topological order is index order. */
function expectedStatuses(dag: RandomDag): string[] {
  const status: string[] = [];
  const fired: Set<string>[] = [];
  for (let i = 0; i < dag.nodes.length; i++) {
    const incoming = dag.edges.filter((e) => e.to === i);
    const active = incoming.some((e) => fired[e.from].has(portOf(dag, e)));
    const runs = incoming.length === 0 || active;
    const node = dag.nodes[i];
    if (!runs) {
      status.push('skipped');
      fired.push(new Set());
      continue;
    }
    status.push(node.kind === 'fail-skip' ? 'failed' : 'completed');
    fired.push(new Set([node.kind === 'if' ? String(node.condition) : 'out']));
  }
  return status;
}

describe('random DAGs', () => {
  it('run each node at most once, after its inputs, skipping exactly the dead paths', async () => {
    await fc.assert(
      fc.asyncProperty(dagArbitrary, async (dag) => {
        const { record, events } = await runDefinition(toDefinition(dag), { types: [asyncPass], input: { start: true } });

        const expected = expectedStatuses(dag);
        expect(dag.nodes.map((_, i) => record.nodes[`n${i}`].status)).toEqual(expected);
        expect(record.status).toBe('completed');

        const started = new Map<string, number>();
        const ended = new Map<string, number>();
        for (const event of events) {
          if (event.type === 'node.started') {
            expect(started.has(event.nodeId), `${event.nodeId} started twice`).toBe(false);
            started.set(event.nodeId, event.seq);
          }
          if (event.type === 'node.completed' || event.type === 'node.failed' || event.type === 'node.skipped') {
            expect(ended.has(event.nodeId), `${event.nodeId} ended twice`).toBe(false);
            ended.set(event.nodeId, event.seq);
          }
        }
        for (const edge of dag.edges) {
          const target = `n${edge.to}`;
          if (!started.has(target)) continue;
          // Every source has ended before its target starts.
          expect(ended.get(`n${edge.from}`)!).toBeLessThan(started.get(target)!);
        }
        expect(ended.size).toBe(dag.nodes.length);
      }),
      { numRuns: Number(process.env.DAG_RUNS ?? 150), interruptAfterTimeLimit: 60_000 },
    );
  });
});
