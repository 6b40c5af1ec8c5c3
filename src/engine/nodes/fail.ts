import { z } from 'zod';
import { WeftError } from '../errors';
import { defineNodeType } from './nodeType';

export const failNodeType = defineNodeType<{ message: unknown }>({
  type: 'fail',
  title: 'Fail: stop the run with an error',
  description: 'Always fails with `message` (a template). Handle it with an `error` edge, or let the run fail.',
  configSchema: z.object({ message: z.unknown() }).strict(),
  ports: [],
  run: (ctx) => {
    const message = ctx.config.message;
    throw new WeftError('flow-error', typeof message === 'string' ? message : JSON.stringify(message) ?? 'Failed', { nodeId: ctx.nodeId });
  },
});
