import { describe, expect, it } from 'vitest';
import { answerUpstream } from '../../../../src/engine/model/upstream';

describe('answerUpstream', () => {
  // 0 -> 1 -> 3
  // 0 -> 2
  // 4 (alone)
  const incoming = [[], [0], [0], [1], []];
  const order = [0, 4, 1, 2, 3];

  const queries = [
    { reader: 3, target: 0 },
    { reader: 3, target: 1 },
    { reader: 3, target: 2 },
    { reader: 2, target: 1 },
    { reader: 1, target: 4 },
    { reader: 1, target: 1 },
  ];
  const expected = [true, true, false, false, false, false];

  it('answers whether the target has a path to the reader (backward searches)', () => {
    expect(answerUpstream(5, incoming, order, queries)).toEqual(expected);
  });

  it('gives the same answers with bit rows, once the search budget is spent', () => {
    expect(answerUpstream(5, incoming, order, queries, 0)).toEqual(expected);
    expect(answerUpstream(5, incoming, order, queries, 2)).toEqual(expected);
  });

  it('works past 32 read nodes (several words per row)', () => {
    // A chain of 100: every node reads every earlier one, and one later one.
    const n = 100;
    const chainIncoming = Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1]));
    const chainOrder = Array.from({ length: n }, (_, i) => i);
    const queries = [];
    for (let r = 0; r < n; r++) {
      for (let t = 0; t < r; t++) queries.push({ reader: r, target: t });
      if (r + 1 < n) queries.push({ reader: r, target: r + 1 });
    }
    for (const budget of [undefined, 0, 500]) {
      const answers = answerUpstream(n, chainIncoming, chainOrder, queries, budget);
      queries.forEach((q, i) => expect(answers[i]).toBe(q.target < q.reader));
    }
  });

  it('answers nothing for no questions', () => {
    expect(answerUpstream(3, [[], [], []], [0, 1, 2], [])).toEqual([]);
  });
});
