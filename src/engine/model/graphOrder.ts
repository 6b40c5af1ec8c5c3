// A topological order of a graph by Kahn's algorithm, and its cycles found by an iterative depth-first search.
// Neither recurses, so a chain of 10,000 nodes costs no stack. Nodes and edges are plain indices so the same
// code serves the flow and each loop body.

export interface GraphShape {
  nodeCount: number;
  /** Edges as [from, to] node indices, in edge order. */
  edges: readonly (readonly [number, number])[];
}

export interface CycleReport {
  /** The edge that closes the cycle (an index into `edges`). */
  edge: number;
  /** The cycle's nodes in edge order, starting with the back edge's target: a -> b -> c -> (a). */
  nodes: number[];
}

export interface GraphOrder {
  /** Every node in an order where each edge goes forward; only complete when there is no cycle. */
  order: number[];
  cycles: CycleReport[];
}

export function orderGraph(graph: GraphShape): GraphOrder {
  const { nodeCount, edges } = graph;
  const outgoing = outgoingLists(nodeCount, edges);
  const inDegree = new Int32Array(nodeCount);
  for (const [, to] of edges) inDegree[to]++;

  // Kahn: a queue of nodes whose incoming edges are all placed. Lowest index first keeps the order stable.
  const order: number[] = [];
  for (let n = 0; n < nodeCount; n++) if (inDegree[n] === 0) order.push(n);
  for (let head = 0; head < order.length; head++) {
    for (const edge of outgoing[order[head]]) {
      const to = edges[edge][1];
      if (--inDegree[to] === 0) order.push(to);
    }
  }
  if (order.length === nodeCount) return { order, cycles: [] };
  return { order, cycles: findCycles(nodeCount, edges, outgoing, inDegree) };
}

/**
 * Back edges of a depth-first search over the nodes Kahn could not place (`remaining[n] > 0`): each closes
 * one cycle, made of the search path from the edge's target to its source.
 */
function findCycles(
  nodeCount: number,
  edges: readonly (readonly [number, number])[],
  outgoing: number[][],
  remaining: Int32Array,
): CycleReport[] {
  const WHITE = 0;
  const GREY = 1; // on the current search path
  const BLACK = 2;
  const color = new Uint8Array(nodeCount);
  const positionOnPath = new Int32Array(nodeCount).fill(-1);
  const cycles: CycleReport[] = [];
  const path: number[] = [];
  const nextEdge: number[] = [];
  for (let start = 0; start < nodeCount; start++) {
    if (remaining[start] === 0 || color[start] !== WHITE) continue;
    color[start] = GREY;
    positionOnPath[start] = 0;
    path.push(start);
    nextEdge.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top];
      const list = outgoing[node];
      if (nextEdge[top] < list.length) {
        const edge = list[nextEdge[top]++];
        const to = edges[edge][1];
        if (color[to] === GREY) {
          cycles.push({ edge, nodes: path.slice(positionOnPath[to]) });
        } else if (color[to] === WHITE && remaining[to] > 0) {
          color[to] = GREY;
          positionOnPath[to] = path.length;
          path.push(to);
          nextEdge.push(0);
        }
      } else {
        color[node] = BLACK;
        positionOnPath[node] = -1;
        path.pop();
        nextEdge.pop();
      }
    }
  }
  return cycles;
}

function outgoingLists(nodeCount: number, edges: readonly (readonly [number, number])[]): number[][] {
  const outgoing: number[][] = Array.from({ length: nodeCount }, () => []);
  edges.forEach(([from], index) => outgoing[from].push(index));
  return outgoing;
}
