import { z } from 'zod';
import { defineNodeType } from './nodeType';
import { findUndefinedKeys, undefinedKeyMessage } from './undefinedKeys';

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
  run: (ctx) => {
    const output = ctx.config.output;
    // JSON drops undefined values: say so in the node's log rather than let a key vanish unseen.
    for (const path of findUndefinedKeys(output)) ctx.log('warn', undefinedKeyMessage(path));
    return { output };
  },
});
