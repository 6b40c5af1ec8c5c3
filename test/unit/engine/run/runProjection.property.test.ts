// Property test of the one projection of a run (issue 10): for flows the engine really runs (random DAGs with
// branches, handled and unhandled failures, retries, disabled nodes, model calls, nodes stopped in flight, loops
// with nested loops), folding the run's events gives the same view as projecting its record: statuses, attempts,
// iterations, ports, AI usage and times.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeType } from '../../../../src/engine/nodes/nodeType';
import type { EngineEvent } from '../../../../src/engine/run/events';
import { projectEvents, projectRecord, totalUsage, type RunProjection } from '../../../../src/engine/run/runProjection';
import { runDefinition } from '../../../support/runHelpers';

type Kind = 'pass' | 'if' | 'fail-skip' | 'fail-port' | 'fail' | 'async' | 'slow' | 'ai' | 'flaky' | 'loop';
type BodyKind = 'pass' | 'ai' | 'async' | 'fail-skip' | 'fail' | 'loop';

interface BodyNode {
  kind: BodyKind;
  /** A nested loop's own body (only one level deep). */
  inner: ('pass' | 'ai' | 'async')[];
}

interface RandomNode {
  kind: Kind;
  condition: boolean;
  disabled: boolean;
  ticks: number;
  tokens: number;
  priced: boolean;
  items: number;
  concurrency: number;
  body: BodyNode[];
}

interface RandomFlow {
  nodes: RandomNode[];
  edges: { from: number; to: number; branch: boolean }[];
}

const bodyNode: fc.Arbitrary<BodyNode> = fc.record({
  kind: fc.constantFrom<BodyKind>('pass', 'ai', 'ai', 'async', 'fail-skip', 'fail', 'loop'),
  inner: fc.array(fc.constantFrom<'pass' | 'ai' | 'async'>('pass', 'ai', 'async'), { minLength: 1, maxLength: 2 }),
});

const randomNode: fc.Arbitrary<RandomNode> = fc.record({
  kind: fc.constantFrom<Kind>('pass', 'pass', 'if', 'if', 'fail-skip', 'fail-port', 'fail', 'async', 'slow', 'slow', 'ai', 'ai', 'flaky', 'loop', 'loop'),
  condition: fc.boolean(),
  disabled: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  ticks: fc.integer({ min: 1, max: 6 }),
  tokens: fc.integer({ min: 1, max: 500 }),
  priced: fc.boolean(),
  items: fc.integer({ min: 0, max: 3 }),
  concurrency: fc.integer({ min: 1, max: 2 }),
  body: fc.array(bodyNode, { minLength: 1, maxLength: 3 }),
});

const flowArbitrary: fc.Arbitrary<RandomFlow> = fc
  .integer({ min: 2, max: 10 })
  .chain((n) =>
    fc.record({
      nodes: fc.array(randomNode, { minLength: n, maxLength: n }),
      edges: fc.array(
        fc
          .tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.boolean())
          .filter(([a, b]) => a !== b)
          .map(([a, b, branch]) => ({ from: Math.min(a, b), to: Math.max(a, b), branch })),
        { maxLength: n * 2 },
      ),
    }),
  )
  .map((flow) => {
    const seen = new Set<string>();
    return { ...flow, edges: flow.edges.filter((e) => !seen.has(`${e.from}-${e.to}-${e.branch}`) && seen.add(`${e.from}-${e.to}-${e.branch}`)) };
  });

const loose = z.object({}).passthrough();

/** A model call: what an `ai` node reports, without a network. */
const fakeAi = defineNodeType({
  type: 'fake-ai',
  title: 't',
  description: 't',
  configSchema: loose,
  ports: ['out'],
  run: async (ctx) => {
    await new Promise((resolve) => setImmediate(resolve));
    const config = ctx.config as { tokens: number; priced: boolean; model: string };
    const usage = { model: config.model, inputTokens: config.tokens, outputTokens: config.tokens * 2, ...(config.priced ? { costUsd: config.tokens / 1e5 } : {}) };
    return { output: { text: 'ok' }, usage };
  },
});

/** Takes a few turns of the event loop, so that a failure elsewhere finds it in flight. */
const slow = defineNodeType({
  type: 'slow',
  title: 't',
  description: 't',
  configSchema: loose,
  ports: ['out'],
  run: async (ctx) => {
    for (let i = 0; i < (ctx.config as { ticks: number }).ticks; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (ctx.signal.aborted) throw ctx.signal.reason;
    }
    return { output: ctx.input ?? null };
  },
});

const flaky = defineNodeType({
  type: 'flaky',
  title: 't',
  description: 't',
  configSchema: loose,
  ports: ['out'],
  run: (ctx) => {
    if (ctx.attempt === 1) throw new Error('first attempt fails');
    return { output: ctx.attempt };
  },
});

/** Fails, and has an `out` port that edges may leave from (the built-in `fail` has only `error`). */
const boom = defineNodeType({
  type: 'boom',
  title: 't',
  description: 't',
  configSchema: loose,
  ports: ['out'],
  run: () => {
    throw new Error('unhandled');
  },
});

const asyncPass = defineNodeType({
  type: 'async-pass',
  title: 't',
  description: 't',
  configSchema: loose,
  ports: ['out'],
  run: async (ctx) => {
    await new Promise((resolve) => setImmediate(resolve));
    return { output: ctx.input ?? null };
  },
});

const types = [fakeAi, slow, flaky, asyncPass, boom];

function portOf(flow: RandomFlow, edge: RandomFlow['edges'][number]): string {
  const kind = flow.nodes[edge.from].kind;
  if (kind === 'if') return edge.branch ? 'true' : 'false';
  if (kind === 'fail-port') return 'error';
  return 'out';
}

let ids = 0;

function simpleNode(kind: 'pass' | 'ai' | 'async' | 'fail-skip' | 'fail', tokens: number, priced: boolean): Record<string, unknown> {
  const id = `b${ids++}`;
  switch (kind) {
    case 'ai':
      return { id, type: 'fake-ai', config: { tokens, priced, model: tokens % 2 === 0 ? 'model-a' : 'model-b' } };
    case 'async':
      return { id, type: 'async-pass' };
    case 'fail-skip':
      return { id, type: 'fail', config: { message: 'x' }, onError: 'skip' };
    case 'fail':
      return { id, type: 'boom' };
    default:
      return { id, type: 'transform', config: { output: '{{ input }}' } };
  }
}

/** A chain of nodes, as a loop body. */
function chain(nodes: Record<string, unknown>[]): { nodes: Record<string, unknown>[]; edges: { from: string; to: string }[] } {
  const edges = nodes.slice(1).map((node, i) => ({ from: String(nodes[i].id), to: String(node.id) }));
  return { nodes, edges };
}

function loopNode(id: string, node: RandomNode): Record<string, unknown> {
  const body = node.body.map((b, i) => {
    if (b.kind !== 'loop') return simpleNode(b.kind, node.tokens + i, node.priced);
    const inner = chain(b.inner.map((k, j) => simpleNode(k, node.tokens + 10 * j + 1, node.priced)));
    return { id: `b${ids++}`, type: 'loop', config: { items: [1, 2], body: inner } };
  });
  return { id, type: 'loop', config: { items: Array.from({ length: node.items }, (_, i) => i), concurrency: node.concurrency, body: chain(body) } };
}

function toDefinition(flow: RandomFlow): object {
  ids = 0;
  const nodes = flow.nodes.map((node, i) => {
    const id = `n${i}`;
    const disabled = node.disabled ? { disabled: true } : {};
    switch (node.kind) {
      case 'if':
        return { id, type: 'if', config: { condition: node.condition }, ...disabled };
      case 'fail-skip':
        return { id, type: 'fail', config: { message: 'x' }, onError: 'skip', ...disabled };
      case 'fail-port':
        // Without an error edge the failure is unhandled; the generator gives it one when it has any edge.
        return { id, type: 'fail', config: { message: 'handled' }, ...disabled };
      case 'fail':
        return { id, type: 'boom', ...disabled };
      case 'async':
        return { id, type: 'async-pass', ...disabled };
      case 'slow':
        return { id, type: 'slow', config: { ticks: node.ticks }, ...disabled };
      case 'ai':
        return { id, type: 'fake-ai', config: { tokens: node.tokens, priced: node.priced, model: node.tokens % 2 === 0 ? 'model-a' : 'model-b' }, ...disabled };
      case 'flaky':
        return { id, type: 'flaky', retry: { maxAttempts: 2, delayMs: 0 }, ...disabled };
      case 'loop':
        return { ...loopNode(id, node), ...disabled };
      default:
        return { id, type: 'transform', config: { output: { from: id } }, ...disabled };
    }
  });
  const edges = flow.edges.map((e) => ({ from: `n${e.from}`, to: `n${e.to}`, port: portOf(flow, e) }));
  return { version: 1, id: 'random', nodes, edges, settings: { concurrency: 3 } };
}

/** The facts a view shows; the bookkeeping a fold keeps for itself is left out. */
function facts(run: RunProjection): object {
  return {
    runId: run.runId,
    flowId: run.flowId,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.durationMs,
    settledNodes: run.settledNodes,
    nodes: run.nodes.map((node) => ({ ...node })),
  };
}

/** Every model call's tokens, read from the events alone (an independent count of what the views total). */
function tokensCalled(events: readonly EngineEvent[]): number {
  let tokens = 0;
  for (const event of events) if (event.type === 'node.completed' && event.usage) tokens += event.usage.inputTokens;
  return tokens;
}

describe('the projection of a run', () => {
  it("folds a run's events to the view its record gives", async () => {
    await fc.assert(
      fc.asyncProperty(flowArbitrary, async (flow) => {
        const { record, events } = await runDefinition(toDefinition(flow), { types, input: { start: true } });

        const folded = projectEvents(events);
        const recorded = projectRecord(record);

        expect(facts(folded)).toEqual(facts(recorded));
        if (record.status === 'completed') {
          expect(totalUsage(recorded.nodes)?.inputTokens ?? 0).toBe(tokensCalled(events));
          // Every node ended; the completed ones say which ports fired.
          expect(recorded.settledNodes).toBe(recorded.nodes.length);
          for (const node of recorded.nodes) if (node.status === 'completed') expect(node.ports?.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: Number(process.env.PROJECTION_RUNS ?? 150), interruptAfterTimeLimit: 60_000, endOnFailure: process.env.PROJECTION_DEBUG === "1" },
    );
  });

  it('sees a node stopped in flight as cancelled, with how long it ran, in the events and in the record', async () => {
    const definition = {
      version: 1,
      id: 'stop',
      nodes: [
        { id: 'slow', type: 'slow', config: { ticks: 50 } },
        { id: 'boom', type: 'boom' },
        { id: 'after', type: 'transform', config: { output: 1 } },
      ],
      edges: [{ from: 'boom', to: 'after' }],
      settings: { concurrency: 2 },
    };
    const { record, events } = await runDefinition(definition, { types });
    expect(events.find((e) => e.type === 'node.cancelled')).toMatchObject({ nodeId: 'slow', durationMs: record.nodes.slow.durationMs });
    expect(record.nodes.slow).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(record.nodes.slow.finishedAt).toBeDefined();
    // Never started: cancelled in the record, and in the view of the events.
    expect(record.nodes.after.status).toBe('cancelled');
    expect(projectEvents(events).byId.get('after')?.status).toBe('cancelled');
  });

  it("counts a loop body's model calls under the loop node, in its record and on the way", async () => {
    const definition = {
      version: 1,
      id: 'calls',
      nodes: [
        {
          id: 'each',
          type: 'loop',
          config: { items: [1, 2, 3], body: { nodes: [{ id: 'ask', type: 'fake-ai', config: { tokens: 10, priced: true, model: 'm' } }] } },
        },
      ],
    };
    const { record, events } = await runDefinition(definition, { types });
    expect(record.nodes.each.usage).toMatchObject({ model: 'm', inputTokens: 30, outputTokens: 60, calls: 3 });
    expect(record.nodes.each.usage?.costUsd).toBeCloseTo(30 / 1e5, 12);
    expect(record.nodes.each.iterations).toBe(3);
    const completed = events.find((e) => e.type === 'node.completed' && e.nodeId === 'each');
    expect(completed).toMatchObject({ ports: ['out'], iterations: 3 });
  });
});
