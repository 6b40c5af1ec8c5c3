// Helpers for engine tests: compile a definition (failing loudly with its diagnostics) and run it without
// history, keeping every event.

import { runFlow, type RunFlowOptions } from '../../src/api/runFlow';
import { compileFlow } from '../../src/engine/model/compileFlow';
import type { CompiledFlow } from '../../src/engine/model/compiledFlow';
import type { NodeTypeDefinition } from '../../src/engine/nodes/nodeType';
import { createDefaultRegistry } from '../../src/engine/nodes/builtins';
import type { EngineEvent } from '../../src/engine/run/events';
import type { RunRecord } from '../../src/engine/run/runRecord';

export function compileOrThrow(definition: object, extraTypes: NodeTypeDefinition[] = []): CompiledFlow {
  const registry = createDefaultRegistry().extend(extraTypes);
  const result = compileFlow(definition, { registry });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.flow || errors.length > 0) {
    throw new Error(`flow does not compile:\n${errors.map((d) => `${d.code}: ${d.message} at ${JSON.stringify(d.path)}`).join('\n')}`);
  }
  return result.flow;
}

export interface TestRun {
  record: RunRecord;
  events: EngineEvent[];
}

export async function runDefinition(
  definition: object,
  options: RunFlowOptions & { types?: NodeTypeDefinition[] } = {},
): Promise<TestRun> {
  const { types, ...rest } = options;
  const flow = compileOrThrow(definition, types);
  const events: EngineEvent[] = [];
  const record = await runFlow(flow, {
    history: false,
    secrets: {},
    ...rest,
    onEvent: (event) => {
      events.push(structuredClone(event));
      rest.onEvent?.(event);
    },
  });
  return { record, events };
}

/** A flow definition with defaults for the fields a test does not care about. */
export function flowOf(nodes: object[], edges: object[] = [], extra: object = {}): object {
  return { version: 1, id: 'test-flow', nodes, edges, ...extra };
}

export const transform = (id: string, output: unknown, extra: object = {}): object => ({ id, type: 'transform', config: { output }, ...extra });

export function statuses(record: RunRecord): Record<string, string> {
  return Object.fromEntries(Object.entries(record.nodes).map(([id, n]) => [id, n.status]));
}
