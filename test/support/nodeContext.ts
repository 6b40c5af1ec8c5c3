// Builds the NodeContext a node type's `run` receives, for unit tests: sensible defaults for everything,
// overridable piece by piece. Logs and saved states are kept on the returned object so tests can read them.

import type { CircuitChange } from '../../src/engine/circuit/callThroughCircuit';
import type { LogLevel, NodeContext, NodeProgress, NodeServices } from '../../src/engine/nodes/nodeType';
import type { Scope } from '../../src/engine/expr/scope';

export interface TestNodeContext<Config, Prepared> extends NodeContext<Config, Prepared> {
  /** Every `log` call, in order. */
  readonly logs: { level: LogLevel; message: string }[];
  /** Every `saveState` call, in order. */
  readonly savedStates: unknown[];
  /** Every `progress` call, in order. */
  readonly progressUpdates: NodeProgress[];
  /** Every `circuitChanged` call, in order. */
  readonly circuitChanges: CircuitChange[];
}

export type NodeContextOverrides<Config, Prepared> = Partial<Omit<NodeContext<Config, Prepared>, 'scope' | 'services'>> & {
  /** Merged over a scope with empty `nodes`, `variables` and `secrets`. */
  scope?: Partial<Scope>;
  /** Merged over services whose `fetch` is the global one and whose engine services throw. */
  services?: Partial<NodeServices>;
};

export function makeNodeContext<Config = Record<string, unknown>, Prepared = unknown>(
  partial: NodeContextOverrides<Config, Prepared> = {},
): TestNodeContext<Config, Prepared> {
  const { scope: scopeOverrides, services: serviceOverrides, ...rest } = partial;
  const input = 'input' in rest ? rest.input : {};
  const scope: Scope = {
    trigger: input,
    input,
    nodes: {},
    variables: {},
    secrets: {},
    execution: { id: 'exec-test', flowId: 'test-flow', startedAt: '2025-01-01T00:00:00.000Z', trigger: { type: 'manual' } },
    ...scopeOverrides,
  };
  const notHere = (name: string) => (): never => {
    throw new Error(`makeNodeContext: services.${name} was not given to this test`);
  };
  const services: NodeServices = {
    runGraph: notHere('runGraph'),
    runSubflow: notHere('runSubflow'),
    runCode: notHere('runCode'),
    fetch: globalThis.fetch,
    ...serviceOverrides,
  };
  const logs: { level: LogLevel; message: string }[] = [];
  const savedStates: unknown[] = [];
  const progressUpdates: NodeProgress[] = [];
  const circuitChanges: CircuitChange[] = [];
  return {
    nodeId: 'node',
    executionId: scope.execution.id,
    flowId: scope.execution.flowId,
    attempt: 1,
    maxAttempts: 1,
    mode: 'run',
    input,
    inputs: [],
    config: {} as Config,
    prepared: undefined as Prepared,
    signal: new AbortController().signal,
    savedState: undefined,
    log: (level, message) => {
      logs.push({ level, message });
    },
    progress: (update) => {
      progressUpdates.push(update);
    },
    circuitChanged: (change) => {
      circuitChanges.push(change);
    },
    evaluate: (value, extra) => value.evaluate(extra ? { ...scope, ...extra } : scope),
    saveState: async (state) => {
      savedStates.push(state);
    },
    ...rest,
    scope,
    services,
    logs,
    savedStates,
    progressUpdates,
    circuitChanges,
  };
}
