import { z } from 'zod';
import { defineNodeType } from './nodeType';

export const logNodeType = defineNodeType<{ message: unknown; level?: 'debug' | 'info' | 'warn' | 'error' }>({
  type: 'log',
  title: 'Log: write a message to the run log',
  description: 'Logs `message` (a template) at `level` (debug, info, warn, error; default info) and passes its input on.',
  configSchema: z.object({ message: z.unknown(), level: z.enum(['debug', 'info', 'warn', 'error']).optional() }).strict(),
  ports: ['out'],
  run: (ctx) => {
    const message = ctx.config.message;
    ctx.log(ctx.config.level ?? 'info', typeof message === 'string' ? message : JSON.stringify(message) ?? '');
    return { output: ctx.input };
  },
});
