import { z } from 'zod';
import { seededRandom } from './seededRandom';
import { PORT_NAME_PATTERN } from '../../shared/nodeId';
import { defineNodeType } from './nodeType';

interface SplitConfig {
  branches: { port: string; weight: number }[];
  seed?: string | number;
}

export const splitNodeType = defineNodeType<SplitConfig>({
  type: 'split',
  title: 'Split: pick one branch at random, by weight',
  description: [
    'Fires one of `branches` chosen by weight (an A/B split). The generator is seeded by `seed`, else by the',
    "run's id, so a run can be replayed exactly.",
    '',
    '```json',
    '{ "id": "ab", "type": "split", "config": { "branches": [{ "port": "a", "weight": 90 }, { "port": "b", "weight": 10 }] } }',
    '```',
  ].join('\n'),
  configSchema: z
    .object({
      branches: z
        .array(z.object({ port: z.string().regex(PORT_NAME_PATTERN, 'a port is a name'), weight: z.number().min(0) }).strict())
        .min(1),
      seed: z.union([z.string(), z.number()]).optional(),
    })
    .strict(),
  ports: (config) => (Array.isArray(config?.branches) ? config.branches.map((b) => b.port) : []),
  run: (ctx) => {
    const { branches, seed } = ctx.config;
    const total = branches.reduce((sum, b) => sum + b.weight, 0);
    const random = seededRandom(`${seed ?? ctx.executionId}:${ctx.nodeId}`);
    let pick = random() * total;
    for (const branch of branches) {
      pick -= branch.weight;
      if (pick < 0) return { output: ctx.input, ports: [branch.port] };
    }
    return { output: ctx.input, ports: [branches[branches.length - 1].port] };
  },
});
