import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../../src/engine/run/runRecord';
import { selectRunsToPrune } from '../../../../src/engine/history/retention';
import { indexedRun, type IndexedRun } from '../../../../src/engine/history/runSummary';

function run(id: string, flowId: string, minute: number, status: RunStatus = 'completed'): IndexedRun {
  const startedAt = new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
  return indexedRun({ id, flowId, status, mode: 'run', triggerType: 'manual', startedAt }, 1);
}

describe('selectRunsToPrune', () => {
  it('keeps the newest runs of each flow and prunes the older ones', () => {
    // ARRANGE: flow a has 5 runs, flow b has 2; keep 3 per flow
    const runs = [run('a1', 'a', 1), run('a5', 'a', 5), run('a3', 'a', 3), run('a2', 'a', 2), run('a4', 'a', 4), run('b1', 'b', 1), run('b2', 'b', 2)];
    // ACT
    const pruned = selectRunsToPrune(runs, 3);
    // ASSERT
    expect(pruned.sort()).toEqual(['a1', 'a2']);
  });

  it('never prunes a run that is still running', () => {
    // ARRANGE
    const runs = [run('a1', 'a', 1, 'running'), run('a2', 'a', 2, 'interrupted'), run('a3', 'a', 3)];
    // ACT
    const pruned = selectRunsToPrune(runs, 1);
    // ASSERT
    expect(pruned).toEqual(['a2']);
  });

  it('prunes nothing when every flow is within the limit', () => {
    // ARRANGE
    const runs = [run('a1', 'a', 1), run('b1', 'b', 1)];
    // ACT / ASSERT
    expect(selectRunsToPrune(runs, 1)).toEqual([]);
  });
});
