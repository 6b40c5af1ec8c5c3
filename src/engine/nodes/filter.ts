import { z } from 'zod';
import { WeftError } from '../errors';
import type { CompiledValue } from '../expr/exprTypes';
import { conditionSchema } from './conditionConfig';
import { defineNodeType } from './nodeType';

export const filterNodeType = defineNodeType<{ items: unknown; condition: unknown }, { items: CompiledValue; condition: CompiledValue }>({
  type: 'filter',
  title: 'Filter: keep the items whose condition holds',
  description: [
    'Evaluates `condition` once per item of `items`, with `item` and `index` in scope, and outputs the items',
    'for which it holds.',
    '',
    '```json',
    '{ "id": "unpaid", "type": "filter", "config": { "items": "{{ trigger.invoices }}", "condition": "{{ !item.paid }}" } }',
    '```',
  ].join('\n'),
  configSchema: z.object({ items: z.unknown(), condition: conditionSchema }).strict(),
  ports: ['out'],
  prepare: (config, tools) => ({
    items: tools.template(config.items, ['items']),
    condition: tools.condition(config.condition, ['condition'], { itemScope: true }),
  }),
  run: (ctx) => {
    const items = ctx.evaluate(ctx.prepared.items);
    if (!Array.isArray(items)) {
      throw new WeftError('flow-error', `The filter's items must be an array, got ${items === null ? 'null' : typeof items}.`, { nodeId: ctx.nodeId });
    }
    const kept: unknown[] = [];
    for (let index = 0; index < items.length; index++) {
      if (ctx.evaluate(ctx.prepared.condition, { item: items[index], index })) kept.push(items[index]);
    }
    return { output: kept };
  },
});
