// The node inspector's host side: the node's runs come from the history of the flow the panel shows, a past
// run's scope from its record, and Test this node goes to the run worker with the flow's secrets and the
// editor's unsaved text.

import { describe, expect, it, vi } from 'vitest';
import type { NodeRunsQuery } from '../../../src/engine/history/nodeRuns';
import type { RunRecord } from '../../../src/engine/run/runRecord';
import { nodeInspectorHandlers, type NodeInspectorHostDeps } from '../../../src/extension/nodeInspectorHost';

const record = {
  id: 'run-1', flowId: 'rates-flow', flowHash: 'h', status: 'completed', mode: 'run', trigger: { type: 'manual' }, input: { amount: 10 }, startedAt: '2026-03-01T00:00:00.000Z',
  nodes: { rates: { status: 'completed', attempts: 1, output: { USD: 1.1 } }, convert: { status: 'completed', attempts: 1, input: { USD: 1.1 }, output: 11 } },
} as RunRecord;

function deps(overrides: Partial<NodeInspectorHostDeps> = {}) {
  const nodeRuns = vi.fn((query: NodeRunsQuery) => Promise.resolve({ runs: [{ runId: 'run-1', runStatus: 'completed', mode: 'run', status: 'completed' as const, startedAt: record.startedAt, attempts: 1 }], more: false, query }));
  const testNode = vi.fn(() => ({ requestId: 'r9', done: Promise.resolve({ nodeId: 'convert', status: 'completed' as const, output: 11, logs: [], attempts: 1, startedAt: '', durationMs: 1 }) }));
  const cancel = vi.fn(() => Promise.resolve(true));
  const compile = vi.fn(() => Promise.resolve({ kind: 'compiled' as const, requestId: 'r8', diagnostics: [], secretNames: ['RATES_TOKEN'], testNames: [] }));
  const given: NodeInspectorHostDeps = {
    file: '/w/rates.flow.json',
    flowId: () => Promise.resolve('rates-flow'),
    history: () => ({ nodeRuns, get: (id: string) => Promise.resolve(id === 'run-1' ? record : undefined) }) as never,
    worker: { testNode, compile, cancel } as never,
    secretValues: (names) => Promise.resolve(Object.fromEntries(names.map((n) => [n, 'stored']))),
    unsavedText: () => undefined,
    aiBaseUrl: () => undefined,
    ...overrides,
  };
  return { handlers: nodeInspectorHandlers(given), nodeRuns, testNode, compile, cancel };
}

describe('nodeInspectorHandlers', () => {
  it('asks history for the runs of the node in the flow the panel shows', async () => {
    const { handlers, nodeRuns } = deps();

    const page = await handlers.nodeRuns({ nodeId: 'convert', status: ['failed'], offset: 50 });

    expect(nodeRuns).toHaveBeenCalledWith({ flowId: 'rates-flow', nodeId: 'convert', status: ['failed'], offset: 50 });
    expect(page).toMatchObject({ flowId: 'rates-flow', more: false });
  });

  it('lists no runs for a flow without an id', async () => {
    const { handlers, nodeRuns } = deps({ flowId: () => Promise.resolve(undefined) });
    expect(await handlers.nodeRuns({ nodeId: 'convert' })).toEqual({ runs: [], more: false });
    expect(nodeRuns).not.toHaveBeenCalled();
  });

  it('gives a past run’s scope for the node, and a not-found error for a run history does not have', async () => {
    const { handlers } = deps();

    expect(await handlers.nodeTestScope({ nodeId: 'convert', runId: 'run-1' })).toEqual({ runId: 'run-1', input: { USD: 1.1 }, trigger: { amount: 10 }, nodes: { rates: { USD: 1.1 } } });
    await expect(handlers.nodeTestScope({ nodeId: 'convert', runId: 'gone' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('tests the node in the run worker with the flow’s stored secrets and the unsaved text', async () => {
    const { handlers, testNode } = deps({ unsavedText: () => '{ "edited": true }', aiBaseUrl: () => 'http://127.0.0.1:9/v1' });

    const result = await handlers.testNode({ nodeId: 'convert', input: { USD: 2 }, trigger: { amount: 1 }, nodes: {}, mocks: { http: { status: 200 } } });

    expect(result).toMatchObject({ status: 'completed', output: 11 });
    expect(testNode).toHaveBeenCalledWith({
      file: '/w/rates.flow.json',
      text: '{ "edited": true }',
      nodeId: 'convert',
      input: { USD: 2 },
      trigger: { amount: 1 },
      nodes: {},
      mocks: { http: { status: 200 } },
      secrets: { RATES_TOKEN: 'stored' },
      aiBaseUrl: 'http://127.0.0.1:9/v1',
    });
  });

  it('cancels the node’s test in progress in the worker, and nothing once it ended', async () => {
    let finish!: (value: unknown) => void;
    const testNode = vi.fn(() => ({ requestId: 'r42', done: new Promise((resolve) => (finish = resolve)) }));
    const cancel = vi.fn(() => Promise.resolve(true));
    const { handlers } = deps({ worker: { testNode, compile: () => Promise.resolve({ secretNames: [] }), cancel } as never });

    const pending = handlers.testNode({ nodeId: 'slow', input: {} });
    await vi.waitFor(() => expect(testNode).toHaveBeenCalled());
    await handlers.cancelNodeTest({ nodeId: 'slow' });
    finish({ status: 'cancelled' });
    await pending;
    await handlers.cancelNodeTest({ nodeId: 'slow' });

    expect(cancel.mock.calls).toEqual([['r42']]);
  });
});
