import { z } from 'zod';
import { WeftError } from '../errors';
import { sleep } from '../run/nodeRunner';
import { defineNodeType } from './nodeType';

interface WaitConfig {
  ms?: number | string;
  until?: string;
}

interface WaitState {
  until: string;
}

export const waitNodeType = defineNodeType<WaitConfig>({
  type: 'wait',
  title: 'Wait: pause for a time or until a moment',
  description: [
    'Waits `ms` milliseconds, or `until` an ISO date-time, then passes its input on. The due time is',
    'checkpointed: a run waiting when the process stops resumes at the due time on the next start.',
  ].join('\n'),
  configSchema: z
    .object({
      ms: z.union([z.number().min(0), z.string()]).optional(),
      until: z.string().optional(),
    })
    .strict()
    .refine((c) => c.ms !== undefined || c.until !== undefined, { message: 'a wait needs `ms` or `until`' })
    .meta({ examples: [{ ms: 1000 }] }),
  ports: ['out'],
  run: async (ctx) => {
    const saved = ctx.savedState as WaitState | undefined;
    const due = saved?.until ? Date.parse(saved.until) : dueTime(ctx.config, ctx.nodeId);
    // Saved again when resumed: if this run is interrupted in turn, its own record is the one resumed next.
    await ctx.saveState({ until: new Date(due).toISOString() } satisfies WaitState);
    // Measured again after each sleep: the due time is on the wall clock, which may have been set back meanwhile,
    // and a wait never ends early.
    for (let remaining = due - Date.now(); remaining > 0; remaining = due - Date.now()) await sleep(remaining, ctx.signal);
    return { output: ctx.input };
  },
});

function dueTime(config: WaitConfig, nodeId: string): number {
  if (config.until !== undefined) {
    const at = Date.parse(config.until);
    if (Number.isNaN(at)) throw new WeftError('flow-error', `'until' is not a date-time: ${JSON.stringify(config.until)}.`, { nodeId });
    return at;
  }
  const ms = Number(config.ms);
  if (!Number.isFinite(ms) || ms < 0) throw new WeftError('flow-error', `'ms' must be a number of milliseconds, got ${JSON.stringify(config.ms)}.`, { nodeId });
  return Date.now() + ms;
}
