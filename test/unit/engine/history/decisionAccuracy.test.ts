// Decision accuracy for the Insights view: counts of verdicts for the flow and per node, least accurate first.

import { describe, expect, it } from 'vitest';
import { decisionAccuracy } from '../../../../src/engine/history/decisionAccuracy';

describe('decisionAccuracy', () => {
  it('says there is no feedback rather than 0% when nothing was marked', () => {
    expect(decisionAccuracy([])).toEqual({ state: 'none' });
  });

  it('counts verdicts for the flow and per node, the least accurate node first', () => {
    const rows = [
      { nodeId: 'triage', verdict: 'correct' as const },
      { nodeId: 'triage', verdict: 'incorrect' as const },
      { nodeId: 'score', verdict: 'correct' as const },
      { nodeId: 'score', verdict: 'correct' as const },
      { nodeId: 'draft', verdict: 'incorrect' as const },
    ];
    expect(decisionAccuracy(rows)).toEqual({
      state: 'some',
      correct: 3,
      incorrect: 2,
      byNode: [
        { nodeId: 'draft', correct: 0, incorrect: 1 },
        { nodeId: 'triage', correct: 1, incorrect: 1 },
        { nodeId: 'score', correct: 2, incorrect: 0 },
      ],
    });
  });
});
