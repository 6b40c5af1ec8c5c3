// Decision feedback (issue 13): a person's verdict on a node's output in a recorded run, correct or incorrect,
// with a category, a note and, for an incorrect one, the output that was expected. It is stored beside the run
// in the history directory, never in the flow file:
//
//   feedback/<runId>.json   { version: 1, runId, flowId, runStartedAt, nodes: { <nodeId>: FeedbackEntry } }
//
// One file per run, so marking a node writes only that run's file (temp file + rename: a crash leaves the old
// or the new file), and retention deletes it with its run (compactIndex.ts, HistoryStore.delete). A node has one
// verdict: marking it again replaces the previous one (people change their minds; an evaluation set wants one
// label per decision). Two processes marking nodes of one run at the same moment: the last write wins.

import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WeftError } from '../errors';
import type { RunRecord } from '../run/runRecord';

export const FEEDBACK_DIR = 'feedback';
export const FEEDBACK_VERDICTS = ['correct', 'incorrect'] as const;
export type FeedbackVerdict = (typeof FEEDBACK_VERDICTS)[number];

/** What a person said about one node's output. */
export interface FeedbackMark {
  verdict: FeedbackVerdict;
  /** A short label to group by: `wrong-priority`, `hallucination`, `format`... */
  category?: string;
  note?: string;
  /** The output the node should have given (an incorrect verdict). */
  expected?: unknown;
}

export interface FeedbackEntry extends FeedbackMark {
  /** When it was given, ISO. */
  at: string;
}

export interface RunFeedbackFile {
  version: 1;
  runId: string;
  flowId: string;
  /** The run's start, ISO: what `since` windows select on. */
  runStartedAt: string;
  nodes: Record<string, FeedbackEntry>;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;

export function feedbackPath(historyDir: string, runId: string): string {
  if (!RUN_ID.test(runId)) throw new WeftError('usage', `Not a run id: ${JSON.stringify(runId)}`);
  return join(historyDir, FEEDBACK_DIR, `${runId}.json`);
}

/** The feedback of one run, or undefined when it has none (or its file is unreadable). */
export async function readRunFeedback(historyDir: string, runId: string): Promise<RunFeedbackFile | undefined> {
  try {
    const data = JSON.parse(await readFile(feedbackPath(historyDir, runId), 'utf8')) as RunFeedbackFile;
    return data && data.version === 1 && typeof data.nodes === 'object' ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records a verdict on `nodeId` of the recorded run `record`, replacing any earlier one on that node. The node
 * must have run (a verdict on an output needs an output, or an error, to judge).
 */
export async function saveFeedback(historyDir: string, record: RunRecord, nodeId: string, mark: FeedbackMark, now: Date = new Date()): Promise<FeedbackEntry> {
  const node = record.nodes[nodeId];
  if (node === undefined) throw new WeftError('not-found', `Run ${record.id} has no node '${nodeId}'.`);
  if (node.status !== 'completed' && node.status !== 'failed') {
    throw new WeftError('usage', `Node '${nodeId}' of run ${record.id} ${node.status === 'skipped' ? 'was skipped' : `is ${node.status}`}: there is no output to judge.`);
  }
  if (!FEEDBACK_VERDICTS.includes(mark.verdict)) throw new WeftError('usage', `A verdict is correct or incorrect, not ${JSON.stringify(mark.verdict)}.`);
  const existing = await readRunFeedback(historyDir, record.id);
  const file: RunFeedbackFile = existing ?? { version: 1, runId: record.id, flowId: record.flowId, runStartedAt: record.startedAt, nodes: {} };
  const entry: FeedbackEntry = { verdict: mark.verdict, at: now.toISOString() };
  if (mark.category !== undefined && mark.category !== '') entry.category = mark.category;
  if (mark.note !== undefined && mark.note !== '') entry.note = mark.note;
  if (mark.expected !== undefined) entry.expected = mark.expected;
  file.nodes[nodeId] = entry;
  const path = feedbackPath(historyDir, record.id);
  await mkdir(join(historyDir, FEEDBACK_DIR), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(file, null, 2));
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new WeftError('history', `Could not save feedback on run ${record.id}: ${(error as Error).message}`, { cause: error });
  }
  return entry;
}

/** Deletes a run's feedback (its run was deleted); true when there was some. */
export async function deleteFeedback(historyDir: string, runId: string): Promise<boolean> {
  try {
    await unlink(feedbackPath(historyDir, runId));
    return true;
  } catch {
    return false;
  }
}
