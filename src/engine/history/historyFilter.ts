// Which runs a history listing shows: the filters of `weft history` and of the history panel.

import { WeftError } from '../errors';
import type { RunMode, RunStatus } from '../run/runRecord';
import type { IndexedRun, RunSummary } from './runSummary';

export interface HistoryFilter {
  flowId?: string;
  /** One status, or any of several. */
  status?: RunStatus | RunStatus[];
  mode?: RunMode;
  /** Leaves out runs of this mode (`weft history` hides test runs unless asked for them). */
  excludeMode?: RunMode;
  triggerType?: string;
  /** Runs started at or after this time (ISO date-time). */
  since?: string;
  /** Runs started at or before this time (ISO date-time). */
  until?: string;
  /** Child runs of this run (subflows). */
  parentExecutionId?: string;
  /** Case-insensitive text found in the run's id, flow id, flow file, error message, or input and output values. */
  search?: string;
  /** At most this many runs (after `offset`). Default: all. */
  limit?: number;
  /** Skip this many matching runs first, for paging. Default 0. */
  offset?: number;
}

/** The runs of `newestFirst` (sorted by compareNewestFirst) that match `filter`, as fresh summary objects. */
export function selectRuns(newestFirst: readonly IndexedRun[], filter: HistoryFilter = {}): RunSummary[] {
  const statuses = filter.status === undefined ? undefined : new Set(Array.isArray(filter.status) ? filter.status : [filter.status]);
  const since = filter.since === undefined ? undefined : parseTime(filter.since, 'since');
  const until = filter.until === undefined ? undefined : parseTime(filter.until, 'until');
  const search = filter.search ? filter.search.toLowerCase() : undefined;
  const offset = Math.max(0, filter.offset ?? 0);
  const limit = filter.limit === undefined ? Infinity : Math.max(0, filter.limit);
  const out: RunSummary[] = [];
  let skipped = 0;
  for (const run of newestFirst) {
    if (out.length >= limit) break;
    const s = run.s;
    if (filter.flowId !== undefined && s.flowId !== filter.flowId) continue;
    if (statuses !== undefined && !statuses.has(s.status)) continue;
    if (filter.mode !== undefined && s.mode !== filter.mode) continue;
    if (filter.excludeMode !== undefined && s.mode === filter.excludeMode) continue;
    if (filter.triggerType !== undefined && s.triggerType !== filter.triggerType) continue;
    if (filter.parentExecutionId !== undefined && s.parentExecutionId !== filter.parentExecutionId) continue;
    // The list is newest first: past `since`, nothing older can match.
    if (since !== undefined && run.ms < since) break;
    if (until !== undefined && run.ms > until) continue;
    if (search !== undefined && !matchesText(s, search)) continue;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    // A copy: callers may keep or change what they get without touching the index. The digest is for `weft
    // stats` (runStats.ts), not for listings: left out, so lists and the messages that carry them stay small.
    const { digest: _digest, ...listed } = s;
    out.push({ ...listed, ...(s.owner ? { owner: { ...s.owner } } : {}) });
  }
  return out;
}

function matchesText(s: RunSummary, needle: string): boolean {
  return (
    s.id.toLowerCase().includes(needle) ||
    s.flowId.toLowerCase().includes(needle) ||
    (s.flowFile?.toLowerCase().includes(needle) ?? false) ||
    (s.error?.toLowerCase().includes(needle) ?? false) ||
    (s.searchText?.includes(needle) ?? false)
  );
}

function parseTime(text: string, name: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new WeftError('usage', `The history filter "${name}" is not a date-time: "${text}".`);
  }
  return ms;
}
