import { z } from 'zod';
import { defineNodeType } from './nodeType';

export const subflowNodeType = defineNodeType<{ flow: string; input?: unknown }>({
  type: 'subflow',
  title: 'Subflow: run another flow file',
  description: [
    'Runs the flow at `flow` (a path relative to this file) with `input` (default: this node\'s input) and',
    "outputs the child run's output. The child run is recorded with `parentExecutionId`.",
  ].join('\n'),
  configSchema: z.object({ flow: z.string().min(1), input: z.unknown().optional() }).strict(),
  ports: ['out'],
  run: async (ctx) => {
    const input = ctx.config.input === undefined ? ctx.input : ctx.config.input;
    return { output: await ctx.services.runSubflow(ctx.config.flow, input, ctx.signal) };
  },
});
