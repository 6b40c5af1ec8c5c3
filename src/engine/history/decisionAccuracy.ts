// Decision accuracy (issue 13, Insights): how many judged node outputs people marked correct or incorrect, for the
// flow and per node, from the feedback rows of readFeedback.ts. No feedback is a state of its own ("no feedback
// yet"), never 0%.

import type { FeedbackRow } from './readFeedback';

export type DecisionAccuracy =
  | { state: 'none' }
  | { state: 'some'; correct: number; incorrect: number; byNode: Array<{ nodeId: string; correct: number; incorrect: number }> };

export function decisionAccuracy(rows: readonly Pick<FeedbackRow, 'nodeId' | 'verdict'>[]): DecisionAccuracy {
  if (rows.length === 0) return { state: 'none' };
  const byNode = new Map<string, { nodeId: string; correct: number; incorrect: number }>();
  let correct = 0;
  for (const row of rows) {
    let node = byNode.get(row.nodeId);
    if (!node) byNode.set(row.nodeId, (node = { nodeId: row.nodeId, correct: 0, incorrect: 0 }));
    if (row.verdict === 'correct') {
      correct++;
      node.correct++;
    } else {
      node.incorrect++;
    }
  }
  // Least accurate first: where a person should look.
  const nodes = [...byNode.values()].sort((a, b) => a.correct / (a.correct + a.incorrect) - b.correct / (b.correct + b.incorrect) || a.nodeId.localeCompare(b.nodeId));
  return { state: 'some', correct, incorrect: rows.length - correct, byNode: nodes };
}
