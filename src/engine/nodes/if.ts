import { z } from 'zod';
import type { CompiledValue } from '../expr/exprTypes';
import { conditionSchema } from './conditionConfig';
import { defineNodeType } from './nodeType';

const TRUE_PORTS = ['true'] as const;
const FALSE_PORTS = ['false'] as const;

export const ifNodeType = defineNodeType<{ condition: unknown }, CompiledValue>({
  type: 'if',
  title: 'If: branch on a condition',
  description: [
    'Fires `true` or `false` with its input unchanged. The branch not taken is skipped.',
    '',
    '```json',
    '{ "id": "check", "type": "if", "config": { "condition": "{{ trigger.total > 500 }}" } }',
    '```',
  ].join('\n'),
  configSchema: z.object({ condition: conditionSchema }).strict(),
  ports: ['true', 'false'],
  prepare: (config, tools) => tools.condition(config.condition, ['condition']),
  run: (ctx) => ({ output: ctx.input, ports: ctx.evaluate(ctx.prepared) ? TRUE_PORTS : FALSE_PORTS }),
});
