import { z } from 'zod';
import { WeftError } from '../errors';
import type { CompiledValue } from '../expr/exprTypes';
import type { CompiledGraph } from '../model/compiledFlow';
import { edgeSchema, nodeSchema } from '../model/flowSchema';
import { defineNodeType } from './nodeType';

interface LoopConfig {
  items: unknown;
  body: { nodes: unknown[]; edges?: unknown[]; output?: unknown };
  concurrency?: number;
  maxIterations?: number;
}

interface PreparedLoop {
  items: CompiledValue;
  body: CompiledGraph | undefined;
}

export const loopNodeType = defineNodeType<LoopConfig, PreparedLoop>({
  type: 'loop',
  title: 'Loop: run a sub-flow once per item',
  description: [
    'Runs `body` (`{ nodes, edges, output? }`) once per item of `items`, with `item` and `index` in scope; each',
    "body root gets the item as its input, and `nodes` holds the outer nodes' outputs and this iteration's.",
    'Output: the array of iteration outputs, in item order. `concurrency` (default 1) iterations run at once;',
    'more than `maxIterations` (default 100) items fail the node.',
  ].join('\n'),
  configSchema: z
    .object({
      items: z.unknown().describe('A template giving an array, e.g. "{{ input.orders }}".').meta({ examples: ['{{ input.items }}'] }),
      body: z
        .object({
          nodes: z.array(nodeSchema).min(1),
          edges: z.array(edgeSchema).optional(),
          output: z.unknown().optional(),
        })
        .strict()
        .meta({ examples: [{ nodes: [{ id: 'each', type: 'log', config: { message: '{{ item }}' } }] }] }),
      concurrency: z.number().int().min(1).optional(),
      maxIterations: z.number().int().min(1).optional(),
    })
    .strict(),
  ports: ['out'],
  prepare: (config, tools) => ({
    items: tools.template(config.items, ['items']),
    body: tools.graph(config.body, ['body']),
  }),
  run: async (ctx) => {
    const items = ctx.evaluate(ctx.prepared.items);
    if (!Array.isArray(items)) {
      throw new WeftError('flow-error', `The loop's items must be an array, got ${describe(items)}.`, { nodeId: ctx.nodeId });
    }
    const maxIterations = ctx.config.maxIterations ?? 100;
    if (items.length > maxIterations) {
      throw new WeftError('loop-limit', `The loop got ${items.length} items, more than maxIterations (${maxIterations}).`, { nodeId: ctx.nodeId });
    }
    const body = ctx.prepared.body;
    if (!body) throw new WeftError('invalid-flow', 'The loop body did not compile.', { nodeId: ctx.nodeId });
    const results = new Array<unknown>(items.length);
    const concurrency = Math.max(1, Math.min(ctx.config.concurrency ?? 1, items.length));
    let next = 0;
    // Looked up once, not per item: an iteration costs about as much as a small node.
    const { runGraph } = ctx.services;
    const signal = ctx.signal;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const index = next++;
        const item: unknown = items[index];
        results[index] = await runGraph(body, { input: item, extra: { item, index }, signal, iteration: index });
      }
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < concurrency; i++) workers.push(worker());
    await Promise.all(workers);
    return { output: results, iterations: items.length };
  },
});

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
