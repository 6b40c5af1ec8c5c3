import { basename } from 'node:path';
import { z } from 'zod';
import { WeftError } from '../errors';
import { defineNodeType } from './nodeType';

/** Subflows nested deeper than this fail with `subflow-depth`: a recursion that never stops ends here, not in memory. */
export const MAX_SUBFLOW_DEPTH = 32;

export const subflowNodeType = defineNodeType<{ flow: string; input?: unknown }>({
  type: 'subflow',
  title: 'Subflow: run another flow file',
  description: [
    'Runs the flow at `flow` (a path relative to this file) with `input` (default: this node\'s input) and',
    "outputs the child run's output. The child run is recorded with `parentExecutionId`.",
  ].join('\n'),
  configSchema: z.object({ flow: z.string().min(1).meta({ examples: ['./other.flow.json'] }), input: z.unknown().optional() }).strict(),
  ports: ['out'],
  run: async (ctx) => {
    const input = ctx.config.input === undefined ? ctx.input : ctx.config.input;
    return { output: await ctx.services.runSubflow(ctx.config.flow, input, ctx.signal) };
  },
});

/**
 * `chain`: the flow files from the top run down to the subflow about to start. Throws a `subflow-depth` error
 * naming the chain (up to where it first repeats, which is the recursion) when it is more than `max` subflows deep.
 */
export function checkSubflowDepth(chain: readonly string[], max = MAX_SUBFLOW_DEPTH): void {
  if (chain.length - 1 <= max) return;
  const names = chain.map((file) => basename(file));
  const repeat = names.findIndex((name, i) => names.indexOf(name) < i);
  const shown = repeat === -1 ? names : [...names.slice(0, repeat + 1), '…'];
  throw new WeftError('subflow-depth', `Subflows nest more than ${max} deep: ${shown.join(' → ')}`, {
    details: { depth: chain.length - 1, chain: [...chain] },
  });
}
