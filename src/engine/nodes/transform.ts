import { z } from 'zod';
import { defineNodeType } from './nodeType';

export const transformNodeType = defineNodeType<{ output?: unknown }>({
  type: 'transform',
  title: 'Transform: build a value from templates',
  description: [
    'Evaluates `output`, any JSON whose strings may hold `{{ templates }}`, and passes it on.',
    '',
    '```json',
    '{ "id": "lead", "type": "transform", "config": { "output": { "email": "{{ trigger.email }}" } } }',
    '```',
  ].join('\n'),
  configSchema: z.object({ output: z.unknown().describe('Any JSON; strings may hold {{ templates }}.') }).strict(),
  ports: ['out'],
  run: (ctx) => ({ output: ctx.config.output }),
});
