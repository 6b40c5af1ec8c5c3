import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../../src/extension/liveMonitor/liveEventClient';
import { LiveRunList } from '../../../../src/extension/liveMonitor/liveRunList';

let cursor = 0;
function started(executionId: string, at: number, trigger = 'webhook'): StreamEvent {
  return {
    type: 'execution.started',
    executionId,
    seq: 1,
    ts: new Date(at).toISOString(),
    flowId: 'orders',
    mode: 'run',
    trigger: { type: trigger },
    input: {},
    nodeIds: ['a'],
    cursor: ++cursor,
  };
}
function completed(executionId: string, durationMs: number): StreamEvent {
  return { type: 'execution.completed', executionId, seq: 3, ts: new Date().toISOString(), status: 'completed', output: {}, durationMs, cursor: ++cursor, flowId: 'orders' };
}

describe('LiveRunList', () => {
  it('lists runs newest first with their trigger, status and duration as the events arrive', () => {
    // ARRANGE
    const list = new LiveRunList(10);

    // ACT
    list.apply(started('r1', 1000));
    list.apply(started('r2', 2000, 'schedule'));
    list.apply(completed('r1', 42));
    list.apply({ type: 'node.started', executionId: 'r3', seq: 4, ts: new Date(3000).toISOString(), nodeId: 'a', attempt: 1, input: {}, cursor: ++cursor, flowId: 'billing' });

    // ASSERT: r3 was first seen mid-way: what its events tell is shown.
    expect(list.list().map((r) => [r.executionId, r.flowId, r.triggerType, r.status, r.durationMs])).toEqual([
      ['r3', 'billing', 'unknown', 'running', undefined],
      ['r2', 'orders', 'schedule', 'running', undefined],
      ['r1', 'orders', 'webhook', 'completed', 42],
    ]);
  });

  it('keeps at most its limit, dropping the oldest ended runs before any running one', () => {
    // ARRANGE: r1 still runs; r2 and r3 ended.
    const list = new LiveRunList(2);
    list.apply(started('r1', 1000));
    list.apply(started('r2', 2000));
    list.apply(completed('r2', 5));
    list.apply(started('r3', 3000));
    list.apply(completed('r3', 5));

    // ACT
    list.apply(started('r4', 4000));

    // ASSERT
    expect(list.list().map((r) => r.executionId)).toEqual(['r4', 'r1']);
  });
});

describe('LiveRunList.replace', () => {
  it("takes the run API's list, and keeps a run the stream brought after the list's newest", () => {
    // ARRANGE: r-old is in the list; r-new started while the API's answer was on its way.
    const list = new LiveRunList(10);
    list.apply(started('r-old', 1000));
    list.apply(started('r-new', 5000));
    const summary = { id: 'r-api', flowId: 'orders', status: 'completed' as const, mode: 'run' as const, triggerType: 'schedule', startedAt: new Date(4000).toISOString(), durationMs: 7 };

    // ACT
    list.replace([summary]);

    // ASSERT
    expect(list.list().map((r) => [r.executionId, r.status, r.triggerType])).toEqual([
      ['r-new', 'running', 'webhook'],
      ['r-api', 'completed', 'schedule'],
    ]);
  });
});
