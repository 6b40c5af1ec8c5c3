// Nodes that can never run. A root always runs; any other node runs only when an incoming edge can be active,
// which needs its source to be able to run and the edge's port to be one the source can fire. So, walking a
// topological order: live(n) = n is a root, or some edge into n comes from a live node on a port that can fire.
// This is deliberately simple: it knows ports, not conditions, so a branch whose condition is always false
// still counts as reachable.

export interface LivenessEdge {
  from: number;
  to: number;
  /** Whether the source can ever fire this edge's port (see compileGraph: ports, `error`, disabled, onError). */
  canFire: boolean;
}

export interface UnreachableNode {
  node: number;
  /** `ports`: a live source exists but none of its edges here can fire; `sources`: every source is unreachable too. */
  reason: 'ports' | 'sources';
}

/** `order` must be a complete topological order of the nodes. */
export function findUnreachable(nodeCount: number, edges: readonly LivenessEdge[], order: readonly number[]): UnreachableNode[] {
  const incoming: LivenessEdge[][] = Array.from({ length: nodeCount }, () => []);
  for (const edge of edges) incoming[edge.to].push(edge);
  const live = new Uint8Array(nodeCount);
  const found: UnreachableNode[] = [];
  for (const node of order) {
    const edgesIn = incoming[node];
    if (edgesIn.length === 0) {
      live[node] = 1;
      continue;
    }
    let anySourceLive = false;
    for (const edge of edgesIn) {
      if (!live[edge.from]) continue;
      anySourceLive = true;
      if (edge.canFire) {
        live[node] = 1;
        break;
      }
    }
    if (!live[node]) found.push({ node, reason: anySourceLive ? 'ports' : 'sources' });
  }
  return found;
}
