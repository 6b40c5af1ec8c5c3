// The order of the history list: by any column, either way. The host sends runs newest first; sorting by start
// time descending is that order and costs nothing. Other orders are a stable sort of the filtered runs, so that
// runs equal in the sorted column keep newest first among themselves.

import type { RunSummary } from '../../src/engine/history/runSummary';
import type { HistorySort, HistorySortColumn } from '../../src/protocol/historyProtocol';

export type { HistorySort, HistorySortColumn };

export const DEFAULT_SORT: HistorySort = { column: 'started', direction: 'descending' };

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Runs in `sort` order; `newestFirst` itself when that is the order asked for (no copy, no sort). */
export function sortRuns(newestFirst: readonly RunSummary[], sort: HistorySort): readonly RunSummary[] {
  if (sort.column === 'started') return sort.direction === 'descending' ? newestFirst : [...newestFirst].reverse();
  const key = KEYS[sort.column];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  // Array.prototype.sort is stable: ties keep the host's newest-first order. A run without the value (one still
  // going has no duration, one without input no input line) sorts after every run that has it, whichever way.
  return [...newestFirst].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === undefined) return y === undefined ? 0 : 1;
    if (y === undefined) return -1;
    return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y)));
  });
}

/** What a click (or Enter) on a column header does: a new column starts in its natural order; again, the other way. */
export function nextSort(current: HistorySort, column: HistorySortColumn): HistorySort {
  if (current.column !== column) return { column, direction: column === 'started' || column === 'duration' ? 'descending' : 'ascending' };
  return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

const KEYS: Record<Exclude<HistorySortColumn, 'started'>, (run: RunSummary) => string | number | undefined> = {
  status: (run) => run.status,
  flow: (run) => run.flowId,
  input: (run) => run.inputSummary || undefined,
  trigger: (run) => run.triggerType,
  duration: (run) => run.durationMs,
  id: (run) => run.id,
};
