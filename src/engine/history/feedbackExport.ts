// The evaluation set (`weft feedback --export jsonl`): one line per judged node, with what a person needs to
// replay or score the decision: the run's input, the node's input and output, the verdict and the expected output.
// Feedback whose run has been deleted has no input or output left to show, so it is left out.

import type { HistoryStore } from './historyStore';
import { readFeedback, type FeedbackQuery } from './readFeedback';
import type { FeedbackVerdict } from './feedbackStore';

export interface EvaluationRow {
  runId: string;
  flowId: string;
  nodeId: string;
  /** The run's input. */
  input: unknown;
  nodeInput: unknown;
  output: unknown;
  verdict: FeedbackVerdict;
  /** The output that was expected: given with an incorrect verdict, else the output itself (it was right). */
  expected?: unknown;
  category?: string;
  note?: string;
  at: string;
}

export async function evaluationRows(history: HistoryStore, query: FeedbackQuery = {}): Promise<EvaluationRow[]> {
  const rows: EvaluationRow[] = [];
  for (const feedback of await readFeedback(history.dir, query)) {
    const record = await history.get(feedback.runId);
    const node = record?.nodes[feedback.nodeId];
    if (record === undefined || node === undefined) continue;
    const row: EvaluationRow = {
      runId: feedback.runId,
      flowId: feedback.flowId,
      nodeId: feedback.nodeId,
      input: record.input,
      nodeInput: node.input,
      output: node.status === 'failed' ? { error: node.error } : node.output,
      verdict: feedback.verdict,
      at: feedback.at,
    };
    const expected = feedback.expected !== undefined ? feedback.expected : feedback.verdict === 'correct' ? node.output : undefined;
    if (expected !== undefined) row.expected = expected;
    if (feedback.category !== undefined) row.category = feedback.category;
    if (feedback.note !== undefined) row.note = feedback.note;
    rows.push(row);
  }
  return rows;
}

/** JSON Lines: one row per line, and a final newline. */
export function toJsonl(rows: readonly EvaluationRow[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length > 0 ? '\n' : '');
}
