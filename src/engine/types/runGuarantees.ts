// "When node r runs, has node x certainly run before it?", for the `maybe-skipped` warning. A node runs when at
// least one of its incoming edges is active (spec section 5), so x has certainly run when r runs if x is
// on every path into r (x dominates r, with a virtual root above the graph's roots), or if x runs in every
// run: it is a root, or it has an edge from such a node on a port that always fires (`out` of a node with
// no branch ports and no error edge). Dominators in a DAG follow from one pass in topological order: a
// node's immediate dominator is the nearest common dominator of its sources.

export interface GuaranteeGraph {
  nodeCount: number;
  /** For each node, its incoming edges: the source and whether that edge fires whenever the source completes. */
  incoming: readonly (readonly { from: number; alwaysFires: boolean }[])[];
  /** A complete topological order. */
  order: readonly number[];
}

export interface RunGuarantees {
  /** True when `target` has certainly run (completed, or failed with its error handled) whenever `reader` runs. */
  ranBefore(target: number, reader: number): boolean;
}

const VIRTUAL_ROOT = -1;

export function computeRunGuarantees(graph: GuaranteeGraph): RunGuarantees {
  const { nodeCount, incoming, order } = graph;
  const idom = new Int32Array(nodeCount).fill(VIRTUAL_ROOT);
  const depth = new Int32Array(nodeCount);
  const always = new Uint8Array(nodeCount);
  const depthOf = (n: number): number => (n === VIRTUAL_ROOT ? 0 : depth[n]);
  const up = (n: number): number => (n === VIRTUAL_ROOT ? n : idom[n]);
  const common = (a: number, b: number): number => {
    while (a !== b) {
      const da = depthOf(a);
      const db = depthOf(b);
      if (da >= db) a = up(a);
      if (db >= da) b = up(b);
    }
    return a;
  };
  for (const n of order) {
    const edges = incoming[n];
    if (edges.length === 0) {
      idom[n] = VIRTUAL_ROOT;
      depth[n] = 1;
      always[n] = 1;
      continue;
    }
    let dominator = edges[0].from;
    for (let i = 1; i < edges.length; i++) dominator = common(dominator, edges[i].from);
    idom[n] = dominator;
    depth[n] = depthOf(dominator) + 1;
    always[n] = edges.some((e) => e.alwaysFires && always[e.from] === 1) ? 1 : 0;
  }
  return {
    ranBefore(target: number, reader: number): boolean {
      if (always[target] === 1) return true;
      for (let n = idom[reader]; n !== VIRTUAL_ROOT; n = idom[n]) if (n === target) return true;
      return false;
    },
  };
}
