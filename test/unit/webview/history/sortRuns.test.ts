import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../../src/engine/history/runSummary';
import { DEFAULT_SORT, nextSort, sortRuns } from '../../../../webview/history/sortRuns';

function run(id: string, extra: Partial<RunSummary>): RunSummary {
  return { id, flowId: 'f', status: 'completed', mode: 'run', triggerType: 'manual', startedAt: '2025-06-01T00:00:00.000Z', ...extra };
}

// Newest first, as the host sends them.
const RUNS = [
  run('r4', { durationMs: 30, inputSummary: 'orderId A-9', status: 'failed' }),
  run('r3', { inputSummary: 'orderId A-10', status: 'running' }),
  run('r2', { durationMs: 5, status: 'completed' }),
  run('r1', { durationMs: 30, inputSummary: 'orderId A-2', status: 'failed' }),
];
const ids = (runs: readonly RunSummary[]): string[] => runs.map((r) => r.id);

describe('sortRuns', () => {
  it('gives the host order itself, uncopied, for newest first', () => {
    expect(sortRuns(RUNS, DEFAULT_SORT)).toBe(RUNS);
    expect(ids(sortRuns(RUNS, { column: 'started', direction: 'ascending' }))).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('sorts durations as numbers, ties newest first, a run still going last whichever way', () => {
    expect(ids(sortRuns(RUNS, { column: 'duration', direction: 'descending' }))).toEqual(['r4', 'r1', 'r2', 'r3']);
    expect(ids(sortRuns(RUNS, { column: 'duration', direction: 'ascending' }))).toEqual(['r2', 'r4', 'r1', 'r3']);
  });

  it('sorts input lines in natural order (A-2 before A-9 before A-10), runs without input last', () => {
    expect(ids(sortRuns(RUNS, { column: 'input', direction: 'ascending' }))).toEqual(['r1', 'r4', 'r3', 'r2']);
  });

  it('sorts by status, keeping newest first among equals', () => {
    expect(ids(sortRuns(RUNS, { column: 'status', direction: 'ascending' }))).toEqual(['r2', 'r4', 'r1', 'r3']);
  });

  it('a header toggles its direction; a new column starts in its natural order', () => {
    expect(nextSort(DEFAULT_SORT, 'flow')).toEqual({ column: 'flow', direction: 'ascending' });
    expect(nextSort(DEFAULT_SORT, 'duration')).toEqual({ column: 'duration', direction: 'descending' });
    expect(nextSort(DEFAULT_SORT, 'started')).toEqual({ column: 'started', direction: 'ascending' });
    expect(nextSort({ column: 'flow', direction: 'ascending' }, 'flow')).toEqual({ column: 'flow', direction: 'descending' });
  });
});
