// Reads the decision feedback of a history directory (feedbackStore.ts), one row per judged node: what the
// evaluation export and the Insights view's "decision accuracy" are computed from. Feedback whose run is gone
// (retention deletes both; a file that could not be deleted yet) is still returned: the caller joins with runs
// when it needs them.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FEEDBACK_DIR, readRunFeedback, type FeedbackEntry } from './feedbackStore';

export interface FeedbackRow extends FeedbackEntry {
  runId: string;
  flowId: string;
  nodeId: string;
  /** The judged run's start, ISO. */
  runStartedAt: string;
}

export interface FeedbackQuery {
  flowId?: string;
  /** Only runs started at or after this time (ms since the epoch, or a Date). */
  since?: number | Date;
}

/** Every node verdict in `historyDir`, oldest run first, nodes in the order they were judged. */
export async function readFeedback(historyDir: string, query: FeedbackQuery = {}): Promise<FeedbackRow[]> {
  const names = await readdir(join(historyDir, FEEDBACK_DIR)).catch(() => [] as string[]);
  const sinceMs = query.since === undefined ? undefined : typeof query.since === 'number' ? query.since : query.since.getTime();
  const rows: FeedbackRow[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = await readRunFeedback(historyDir, name.slice(0, -'.json'.length));
    if (file === undefined) continue;
    if (query.flowId !== undefined && file.flowId !== query.flowId) continue;
    if (sinceMs !== undefined && Date.parse(file.runStartedAt) < sinceMs) continue;
    for (const [nodeId, entry] of Object.entries(file.nodes)) {
      rows.push({ ...entry, runId: file.runId, flowId: file.flowId, nodeId, runStartedAt: file.runStartedAt });
    }
  }
  rows.sort((a, b) => a.runStartedAt.localeCompare(b.runStartedAt) || a.at.localeCompare(b.at));
  return rows;
}
