// Which runs the history list shows: by status, flow, start date and free text. Runs arrive newest first from the
// host and stay in that order: filtering is one linear pass over runs indexed once when the list arrives (start
// time parsed, search text lower-cased), so a keystroke over 10,000 runs costs a scan, never a sort or a parse.

import type { RunSummary } from '../../src/engine/history/runSummary';
import type { HistoryFilterState } from '../../src/protocol/historyProtocol';

export type { HistoryFilterState as RunFilter } from '../../src/protocol/historyProtocol';

/** A summary with what filtering needs, computed once per list. */
export interface SearchableRun {
  run: RunSummary;
  /** startedAt as epoch ms (NaN when unreadable: such a run matches no date bound). */
  ms: number;
  /** flow id, run id, trigger type, error and the input and output values the index keeps, lower case, one per line. */
  text: string;
}

export const EMPTY_FILTER: HistoryFilterState = { statuses: [], flowId: '', from: '', to: '', search: '' };

export function indexRuns(runs: readonly RunSummary[]): SearchableRun[] {
  return runs.map((run) => ({
    run,
    ms: Date.parse(run.startedAt),
    text: `${run.flowId}\n${run.id}\n${run.triggerType}\n${run.error ?? ''}\n${run.inputSummary ?? ''}\n${run.searchText ?? ''}`.toLowerCase(),
  }));
}

/** The runs that pass every filter, in the order given (newest first). */
export function filterRuns(runs: readonly SearchableRun[], filter: HistoryFilterState): RunSummary[] {
  const statuses = filter.statuses.length > 0 ? new Set<string>(filter.statuses) : undefined;
  const flowId = filter.flowId;
  const from = filter.from ? startOfLocalDay(filter.from) : undefined;
  // `to` is inclusive: everything before the start of the next day.
  const to = filter.to ? startOfLocalDay(filter.to, 1) : undefined;
  // Every word must occur somewhere ("order failed" finds failed runs of order-intake by their error text too).
  const words = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
  const out: RunSummary[] = [];
  for (const entry of runs) {
    const run = entry.run;
    if (statuses && !statuses.has(run.status)) continue;
    if (flowId && run.flowId !== flowId) continue;
    if (from !== undefined && !(entry.ms >= from)) continue;
    if (to !== undefined && !(entry.ms < to)) continue;
    if (words.length > 0 && !words.every((word) => entry.text.includes(word))) continue;
    out.push(run);
  }
  return out;
}

/** The distinct flow ids, sorted, for the flow picker. */
export function flowIdsOf(runs: readonly RunSummary[]): string[] {
  return [...new Set(runs.map((run) => run.flowId))].sort((a, b) => a.localeCompare(b));
}

export function isFilterEmpty(filter: HistoryFilterState): boolean {
  return filter.statuses.length === 0 && !filter.flowId && !filter.from && !filter.to && !filter.search.trim();
}

/** Midnight (local time, as the date inputs mean it) of a YYYY-MM-DD day, plus `addDays`; undefined if malformed. */
function startOfLocalDay(day: string, addDays = 0): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays).getTime();
}
