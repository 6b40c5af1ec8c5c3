import { z } from 'zod';
import type { CompiledValue } from '../expr/exprTypes';
import { PORT_NAME_PATTERN } from '../../shared/nodeId';
import { conditionSchema } from './conditionConfig';
import { defineNodeType } from './nodeType';

interface SwitchConfig {
  cases: { port: string; condition: unknown }[];
}

const DEFAULT_PORTS = ['default'] as const;

export const switchNodeType = defineNodeType<SwitchConfig, { port: readonly string[]; condition: CompiledValue }[]>({
  type: 'switch',
  title: 'Switch: the first matching case picks the port',
  description: [
    'Evaluates `cases` in order; the first whose condition holds fires its `port`, else `default` fires.',
    '',
    '```json',
    '{ "id": "route", "type": "switch", "config": { "cases": [',
    '  { "port": "eu", "condition": "{{ input.region == \'eu\' }}" },',
    '  { "port": "us", "condition": { "==": [{ "var": "input.region" }, "us"] } }',
    '] } }',
    '```',
  ].join('\n'),
  configSchema: z
    .object({
      cases: z
        .array(z.object({ port: z.string().regex(PORT_NAME_PATTERN, 'a port is a name'), condition: conditionSchema }).strict())
        .min(1),
    })
    .strict(),
  ports: (config) => [...(Array.isArray(config?.cases) ? config.cases.map((c) => c.port) : []), 'default'],
  prepare: (config, tools) =>
    config.cases.map((c, i) => ({ port: [c.port], condition: tools.condition(c.condition, ['cases', i, 'condition']) })),
  run: (ctx) => {
    for (const c of ctx.prepared) if (ctx.evaluate(c.condition)) return { output: ctx.input, ports: c.port };
    return { output: ctx.input, ports: DEFAULT_PORTS };
  },
});
