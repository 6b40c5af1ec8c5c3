// Which interrupted runs a live server resumes when it starts (spec section 5: a run found running when a process
// starts becomes `interrupted`, and can be resumed; section 7: a `wait` resumes at its due time on the next start).
// Pure: summaries in, the ones to resume out, oldest first.
//
// A run is resumed when it is interrupted, of mode `run` (a test run is not), not a subflow's child (its parent's
// resume runs the subflow again), of a flow under the served directory that compiles now, and not resumed
// already (no run names it in `resumedFrom`; so two restarts never resume the same run twice, and a resumed run
// that is interrupted in turn is resumed instead of the original).

import type { RunSummary } from '../engine/history/runSummary';

export interface ResumableFlow {
  id: string;
}

export function runsToResume(summaries: readonly RunSummary[], flowsByFile: ReadonlyMap<string, ResumableFlow>): RunSummary[] {
  const resumed = new Set<string>();
  for (const summary of summaries) if (summary.resumedFrom !== undefined) resumed.add(summary.resumedFrom);
  const selected = summaries.filter((s) => {
    if (s.status !== 'interrupted' || s.mode !== 'run' || s.parentExecutionId !== undefined) return false;
    if (resumed.has(s.id) || s.flowFile === undefined) return false;
    return flowsByFile.get(s.flowFile)?.id === s.flowId;
  });
  return selected.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}
