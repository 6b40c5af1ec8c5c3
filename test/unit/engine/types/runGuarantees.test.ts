import { describe, expect, it } from 'vitest';
import { computeRunGuarantees } from '../../../../src/engine/types/runGuarantees';

/** Edges as [from, to, alwaysFires]; nodes 0..n-1 already in topological order. */
function guarantees(nodeCount: number, edges: [number, number, boolean][]) {
  const incoming = Array.from({ length: nodeCount }, (_, n) => edges.filter((e) => e[1] === n).map(([from, , alwaysFires]) => ({ from, alwaysFires })));
  return computeRunGuarantees({ nodeCount, incoming, order: Array.from({ length: nodeCount }, (_, i) => i) });
}

describe('computeRunGuarantees', () => {
  it('an if with two branches joined by a merge: the branches may not have run, the if has', () => {
    //   0 (if) --true--> 1 --\
    //          --false-> 2 --> 3 (merge) --> 4
    const g = guarantees(5, [
      [0, 1, false],
      [0, 2, false],
      [1, 3, true],
      [2, 3, true],
      [3, 4, true],
    ]);
    expect(g.ranBefore(1, 4)).toBe(false);
    expect(g.ranBefore(2, 3)).toBe(false);
    expect(g.ranBefore(0, 4)).toBe(true);
    expect(g.ranBefore(3, 4)).toBe(true);
    // On its own branch, a node has run before what follows it.
    expect(g.ranBefore(0, 1)).toBe(true);
  });

  it('nodes that run in every run count, though no single one is on every path', () => {
    //   0 --\
    //   1 --> 2
    const g = guarantees(3, [
      [0, 2, true],
      [1, 2, true],
    ]);
    expect(g.ranBefore(0, 2)).toBe(true);
    expect(g.ranBefore(1, 2)).toBe(true);
  });

  it('a node behind a branch port, read after a join of that branch and another path, may be skipped', () => {
    //   0 --true--> 1 --> 3
    //   0 --------> 2 --> 3     (0's out always fires into 2 here: 0 is not a branch)
    const g = guarantees(4, [
      [0, 1, false],
      [0, 2, true],
      [1, 3, true],
      [2, 3, true],
    ]);
    expect(g.ranBefore(1, 3)).toBe(false);
    expect(g.ranBefore(2, 3)).toBe(true);
  });
});
