// Which live runs' failures to announce, and how many to show on a flow's CodeLens. Pure, so a test can call it
// without a server: LiveController feeds it the summaries it polls from history.

import type { RunSummary } from '../engine/history/runSummary';

export interface LiveFailureTracker {
  /** Failed live runs already seen, per flow file (announced, or there before the editor looked). */
  seen: Map<string, Set<string>>;
}

export function newLiveFailureTracker(): LiveFailureTracker {
  return { seen: new Map() };
}

/**
 * Notes the live runs of `file` (newest first, any status) and returns the failures not seen before, to announce,
 * and how many live runs failed since `sinceMs` (the CodeLens badge). On the first look at a file nothing is
 * announced: those failures happened before the editor was watching.
 */
export function trackLiveFailures(
  tracker: LiveFailureTracker,
  file: string,
  runs: readonly RunSummary[],
  sinceMs: number,
): { announce: RunSummary[]; count: number } {
  const failed = runs.filter((run) => run.status === 'failed' && run.triggerType !== 'manual' && run.mode !== 'test');
  const count = failed.filter((run) => Date.parse(run.startedAt) >= sinceMs).length;
  const seen = tracker.seen.get(file);
  if (!seen) {
    tracker.seen.set(file, new Set(failed.map((run) => run.id)));
    return { announce: [], count };
  }
  const announce = failed.filter((run) => !seen.has(run.id));
  for (const run of announce) seen.add(run.id);
  return { announce, count };
}
