// Small node types shaped like the built-ins, for compiler tests that must not depend on the real ones: a
// transform without prepare, an if and a switch that compile conditions, a loop that compiles a body, a filter
// with an item-scoped condition, a fail with no ports, a merge with readiness, and an http-like and an ai-like
// type (a config schema with a required key; a secret read by name).

import { z } from 'zod';
import type { CompiledValue } from '../../src/engine/expr/exprTypes';
import { defineNodeType } from '../../src/engine/nodes/nodeType';
import type { NodeTypeDefinition } from '../../src/engine/nodes/nodeType';
import { NodeRegistry } from '../../src/engine/nodes/registry';

const passInput = (ctx: { input: unknown }): { output: unknown } => ({ output: ctx.input });

export const testTransform = defineNodeType<{ output?: unknown }>({
  type: 'transform',
  title: 'Transform',
  description: 'Evaluates `output`.',
  configSchema: z.object({ output: z.unknown() }).strict(),
  ports: ['out'],
  run: (ctx) => ({ output: ctx.config.output }),
});

export const testHttp = defineNodeType<{ url: string; method?: string }>({
  type: 'http',
  title: 'HTTP request',
  description: 'Sends a request.',
  configSchema: z.object({ url: z.string().min(1), method: z.enum(['GET', 'POST']).optional(), timeoutMs: z.number().optional() }).strict(),
  ports: ['out'],
  defaultTimeoutMs: 30_000,
  sideEffect: true,
  run: passInput,
});

export const testIf = defineNodeType<{ condition: unknown }, CompiledValue>({
  type: 'if',
  title: 'If',
  description: 'Branches.',
  configSchema: z.object({ condition: z.unknown() }).strict(),
  ports: ['true', 'false'],
  prepare: (config, tools) => tools.condition(config.condition, ['condition']),
  run: (ctx) => ({ output: ctx.input, ports: ctx.evaluate(ctx.prepared) ? ['true'] : ['false'] }),
});

interface SwitchConfig {
  cases: { port: string; condition: unknown }[];
}

export const testSwitch = defineNodeType<SwitchConfig>({
  type: 'switch',
  title: 'Switch',
  description: 'First matching case.',
  configSchema: z.object({ cases: z.array(z.object({ port: z.string(), condition: z.unknown() }).strict()).min(1) }).strict(),
  ports: (config) => [...config.cases.map((c) => c.port), 'default'],
  prepare: (config, tools) => config.cases.map((c, i) => tools.condition(c.condition, ['cases', i, 'condition'])),
  run: passInput,
});

export const testLoop = defineNodeType<{ items: unknown; body: unknown }>({
  type: 'loop',
  title: 'Loop',
  description: 'Runs a body per item.',
  configSchema: z.object({ items: z.unknown(), body: z.unknown() }).strict(),
  ports: ['out'],
  prepare: (config, tools) => ({ items: tools.template(config.items, ['items']), body: tools.graph(config.body, ['body']) }),
  run: passInput,
});

export const testFilter = defineNodeType<{ items: unknown; condition: unknown }>({
  type: 'filter',
  title: 'Filter',
  description: 'Keeps items.',
  configSchema: z.object({ items: z.unknown(), condition: z.unknown() }).strict(),
  ports: ['out'],
  prepare: (config, tools) => ({
    items: tools.template(config.items, ['items']),
    condition: tools.condition(config.condition, ['condition'], { itemScope: true }),
  }),
  run: passInput,
});

export const testFail = defineNodeType<{ message?: unknown }>({
  type: 'fail',
  title: 'Fail',
  description: 'Always fails.',
  configSchema: z.object({ message: z.unknown() }).strict(),
  ports: [],
  run: () => {
    throw new Error('failed');
  },
});

export const testMerge = defineNodeType<{ mode?: 'all' | 'first' }>({
  type: 'merge',
  title: 'Merge',
  description: 'Joins paths.',
  configSchema: z.object({ mode: z.enum(['all', 'first']).optional() }).strict(),
  ports: ['out'],
  readiness: (config) => (config.mode === 'first' ? 'first' : 'all'),
  run: passInput,
});

export const testAi = defineNodeType<{ prompt: string; apiKeySecret?: string }>({
  type: 'ai',
  title: 'AI',
  description: 'Asks a model.',
  configSchema: z.object({ prompt: z.string(), apiKeySecret: z.string().optional() }).strict(),
  ports: ['out'],
  secretNames: (config) => [config.apiKeySecret ?? 'OPENAI_API_KEY'],
  prepare: (config, tools) => tools.template(config.prompt, ['prompt']),
  run: passInput,
});

/** Prepare that reports through tools.error, and one that throws: both become invalid-config. */
export const testPicky = defineNodeType<{ n?: number }>({
  type: 'picky',
  title: 'Picky',
  description: 'Rejects odd n.',
  configSchema: z.object({ n: z.number().optional(), boom: z.boolean().optional() }).strict(),
  ports: ['out'],
  prepare: (config, tools) => {
    if ((config as { boom?: boolean }).boom) throw new Error('kaboom');
    if (config.n !== undefined && config.n % 2 === 1) tools.error('n must be even', ['n']);
    return undefined;
  },
  run: passInput,
});

export const TEST_NODE_TYPES: readonly NodeTypeDefinition[] = [
  testTransform,
  testHttp,
  testIf,
  testSwitch,
  testLoop,
  testFilter,
  testFail,
  testMerge,
  testAi,
  testPicky,
];

export function createTestRegistry(): NodeRegistry {
  return new NodeRegistry(TEST_NODE_TYPES);
}
