import { z } from 'zod';
import { isPlainObject } from '../../shared/isPlainObject';
import { defineNodeType } from './nodeType';

interface MergeConfig {
  mode?: 'all' | 'first';
  combine?: 'object' | 'array' | 'assign';
}

export const mergeNodeType = defineNodeType<MergeConfig>({
  type: 'merge',
  title: 'Merge: join parallel paths',
  description: [
    'Waits for its incoming paths (`mode: "all"`, the default; skipped paths do not count) or takes the first',
    'to arrive (`mode: "first"`), and combines their outputs:',
    '- `object` (default): `{ sourceId: output }`',
    '- `array`: outputs in edge order',
    '- `assign`: objects merged in edge order, later keys winning',
  ].join('\n'),
  configSchema: z
    .object({
      mode: z.enum(['all', 'first']).optional(),
      combine: z.enum(['object', 'array', 'assign']).optional(),
    })
    .strict(),
  ports: ['out'],
  readiness: (config) => (config?.mode === 'first' ? 'first' : 'all'),
  run: (ctx) => {
    const combine = ctx.config.combine ?? 'object';
    const contributions = ctx.config.mode === 'first' ? ctx.inputs.slice(0, 1) : ctx.inputs;
    if (combine === 'array') return { output: contributions.map((c) => c.value) };
    if (combine === 'assign') {
      const merged: Record<string, unknown> = {};
      for (const c of contributions) if (isPlainObject(c.value)) Object.assign(merged, c.value);
      return { output: merged };
    }
    const bySource: Record<string, unknown> = {};
    for (const c of contributions) bySource[c.from] = c.value;
    return { output: bySource };
  },
});
