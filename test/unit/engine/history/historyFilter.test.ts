import { describe, expect, it } from 'vitest';
import type { RunMode, RunStatus } from '../../../../src/engine/run/runRecord';
import { selectRuns } from '../../../../src/engine/history/historyFilter';
import { compareNewestFirst, indexedRun, type IndexedRun, type RunSummary } from '../../../../src/engine/history/runSummary';

function run(id: string, minute: number, fields: Partial<RunSummary> = {}): IndexedRun {
  const startedAt = new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
  return indexedRun({ id, flowId: 'orders', status: 'completed' as RunStatus, mode: 'run' as RunMode, triggerType: 'manual', startedAt, ...fields }, 1);
}

// Six runs, one a minute; newest first they are f6 ... f1.
const runs = [
  run('f1', 1, { flowId: 'orders', status: 'failed', error: 'Card DECLINED' }),
  run('f2', 2, { flowId: 'billing', mode: 'test' }),
  run('f3', 3, { flowId: 'orders', triggerType: 'webhook', flowFile: 'flows/orders.flow.json' }),
  run('f4', 4, { flowId: 'orders', status: 'running', parentExecutionId: 'f3' }),
  run('f5', 5, { flowId: 'billing', status: 'cancelled' }),
  run('f6', 6, { flowId: 'orders' }),
].sort(compareNewestFirst);

const ids = (list: RunSummary[]): string[] => list.map((s) => s.id);

describe('selectRuns', () => {
  it('lists every run newest first without a filter', () => {
    expect(ids(selectRuns(runs))).toEqual(['f6', 'f5', 'f4', 'f3', 'f2', 'f1']);
  });

  it('filters by flow, status (one or several), mode, trigger type and parent run', () => {
    expect(ids(selectRuns(runs, { flowId: 'billing' }))).toEqual(['f5', 'f2']);
    expect(ids(selectRuns(runs, { status: 'failed' }))).toEqual(['f1']);
    expect(ids(selectRuns(runs, { status: ['running', 'cancelled'] }))).toEqual(['f5', 'f4']);
    expect(ids(selectRuns(runs, { mode: 'test' }))).toEqual(['f2']);
    expect(ids(selectRuns(runs, { triggerType: 'webhook' }))).toEqual(['f3']);
    expect(ids(selectRuns(runs, { parentExecutionId: 'f3' }))).toEqual(['f4']);
  });

  it('filters by start time, both bounds inclusive', () => {
    expect(ids(selectRuns(runs, { since: '2025-01-01T00:03:00Z', until: '2025-01-01T00:05:00Z' }))).toEqual(['f5', 'f4', 'f3']);
  });

  it('searches id, flow, flow file and error message, ignoring case', () => {
    expect(ids(selectRuns(runs, { search: 'declined' }))).toEqual(['f1']);
    expect(ids(selectRuns(runs, { search: 'FLOWS/orders' }))).toEqual(['f3']);
    expect(ids(selectRuns(runs, { search: 'bill' }))).toEqual(['f5', 'f2']);
    expect(ids(selectRuns(runs, { search: 'f6' }))).toEqual(['f6']);
  });

  it('pages with offset and limit after filtering', () => {
    expect(ids(selectRuns(runs, { flowId: 'orders', offset: 1, limit: 2 }))).toEqual(['f4', 'f3']);
    expect(ids(selectRuns(runs, { limit: 0 }))).toEqual([]);
  });

  it('returns copies, so a caller cannot change the index', () => {
    // ARRANGE
    const [first] = selectRuns(runs, { limit: 1 });
    // ACT
    first.status = 'failed';
    // ASSERT
    expect(selectRuns(runs, { limit: 1 })[0].status).toBe('completed');
  });

  it('rejects a time bound that is not a date-time', () => {
    expect(() => selectRuns(runs, { since: 'yesterday' })).toThrow(/not a date-time/);
  });
});
