// Which runs history forgets: per flow, all but the newest `keepPerFlow` (by start time). A run still marked
// running is never chosen: its process may still be writing it, and it would come back with its next checkpoint.

import { compareNewestFirst, type IndexedRun } from './runSummary';

/** The ids of the runs to prune so that each flow keeps at most `keepPerFlow` of its newest runs. */
export function selectRunsToPrune(runs: Iterable<IndexedRun>, keepPerFlow: number): string[] {
  const byFlow = new Map<string, IndexedRun[]>();
  for (const run of runs) {
    let list = byFlow.get(run.s.flowId);
    if (!list) byFlow.set(run.s.flowId, (list = []));
    list.push(run);
  }
  const keep = Math.max(0, Math.floor(keepPerFlow));
  const pruned: string[] = [];
  for (const list of byFlow.values()) {
    if (list.length <= keep) continue;
    list.sort(compareNewestFirst);
    for (let i = keep; i < list.length; i++) {
      if (list[i].s.status !== 'running') pruned.push(list[i].s.id);
    }
  }
  return pruned;
}
