import { describe, expect, it } from 'vitest';
import { orderGraph } from '../../../../src/engine/model/graphOrder';

describe('orderGraph', () => {
  it('orders a diamond so every edge goes forward', () => {
    //   0
    //  / \
    // 1   2
    //  \ /
    //   3
    const edges = [[0, 1], [0, 2], [1, 3], [2, 3]] as const;
    const { order, cycles } = orderGraph({ nodeCount: 4, edges });
    expect(cycles).toEqual([]);
    expect(order).toHaveLength(4);
    for (const [from, to] of edges) expect(order.indexOf(from)).toBeLessThan(order.indexOf(to));
  });

  it('reports a cycle with its nodes in order, at the edge that closes it', () => {
    // 0 -> 1 -> 2 -> 3
    //      ^         |
    //      +---------+
    const edges = [[0, 1], [1, 2], [2, 3], [3, 1]] as const;
    const { cycles } = orderGraph({ nodeCount: 4, edges });
    expect(cycles).toEqual([{ edge: 3, nodes: [1, 2, 3] }]);
  });

  it('reports a self-loop and each of two separate cycles', () => {
    // 0 -> 0 ;  1 <-> 2
    const { cycles } = orderGraph({ nodeCount: 3, edges: [[0, 0], [1, 2], [2, 1]] });
    expect(cycles).toEqual([
      { edge: 0, nodes: [0] },
      { edge: 2, nodes: [1, 2] },
    ]);
  });

  it('handles a 100,000-node chain without recursion', () => {
    const n = 100_000;
    const edges = Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const);
    const { order, cycles } = orderGraph({ nodeCount: n, edges });
    expect(cycles).toEqual([]);
    expect(order[n - 1]).toBe(n - 1);

    const cyclic = orderGraph({ nodeCount: n, edges: [...edges, [n - 1, 0] as const] });
    expect(cyclic.cycles).toHaveLength(1);
    expect(cyclic.cycles[0].nodes).toHaveLength(n);
  });
});
