// "Runs of this node": a node's recent executions across history, from the index's summaries and their
// digests alone (runDigest.ts), never a run record: a history of 100,000 runs is listed as fast as its index
// is read, and a page of 50 costs what the scan up to its 50th match costs.

import type { NodeStatus } from '../run/runRecord';
import type { IndexedRun } from './runSummary';

export interface NodeRunsQuery {
  flowId: string;
  nodeId: string;
  /** Only executions of the node that ended so (its own status, not the run's). */
  status?: NodeStatus[];
  /** At most this many (default 50). */
  limit?: number;
  /** Skip this many matches first, for paging. */
  offset?: number;
}

/** One execution of a node: enough to list it and open its run. */
export interface NodeRunSummary {
  runId: string;
  runStatus: string;
  mode: string;
  status: NodeStatus;
  /** When the run started (a node's own start is in its record). */
  startedAt: string;
  durationMs?: number;
  attempts?: number;
  /** The error's code, and its message when this node's failure is what failed the run. */
  errorCode?: string;
  error?: string;
}

export interface NodeRunsPage {
  runs: NodeRunSummary[];
  /** More matches lie past this page. */
  more: boolean;
}

export const NODE_RUNS_PAGE = 50;

/** The executions of `query.nodeId` in the runs of `newestFirst` (sorted by compareNewestFirst). */
export function selectNodeRuns(newestFirst: readonly IndexedRun[], query: NodeRunsQuery): NodeRunsPage {
  const limit = Math.max(0, query.limit ?? NODE_RUNS_PAGE);
  const offset = Math.max(0, query.offset ?? 0);
  const statuses = query.status && query.status.length > 0 ? new Set(query.status) : undefined;
  const runs: NodeRunSummary[] = [];
  let skipped = 0;
  for (const { s } of newestFirst) {
    if (s.flowId !== query.flowId) continue;
    const node = s.digest?.n[query.nodeId];
    if (node === undefined) continue;
    if (statuses !== undefined && !statuses.has(node.s)) continue;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    // One match past the page says whether there is a next page, without counting them all.
    if (runs.length === limit) return { runs, more: true };
    const run: NodeRunSummary = { runId: s.id, runStatus: s.status, mode: s.mode, status: node.s, startedAt: s.startedAt };
    if (node.d !== undefined) run.durationMs = node.d;
    run.attempts = node.a ?? 1;
    if (node.e !== undefined) {
      run.errorCode = node.e;
      // The run's error is this node's when the node is what failed it (the index keeps the run's message only).
      if (s.digest?.en === query.nodeId && s.error !== undefined) run.error = s.error;
    }
    runs.push(run);
  }
  return { runs, more: false };
}
