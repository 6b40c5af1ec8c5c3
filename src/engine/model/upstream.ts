// "Is node x upstream of node r?" (x has a path to r), asked for the pairs templates create: r reads nodes.x.
//
// Most templates read a node a step or two back, so each reader first searches backwards, breadth first, and stops as soon as
// it has found every node it reads. Searches that miss (a read of a node that is not upstream) walk the whole
// graph behind the reader, so they share a budget of steps; once it is spent, the remaining questions are
// answered by bit rows instead: only nodes actually read get a bit, and walking the topological order once,
// each node's row is the OR of its sources' rows plus their own bits — O(edges x read nodes / 32) time and
// O(nodes x read nodes / 32) memory, whatever the questions.

export interface UpstreamQuery {
  reader: number;
  target: number;
}

/**
 * Answers each query: true when `target` has a path to `reader` (a node is not upstream of itself).
 * `incoming[n]` lists the source node of each edge into n; `order` must be a complete topological order.
 * `searchBudget` (steps of backward search before switching to bit rows) is for tests.
 */
export function answerUpstream(
  nodeCount: number,
  incoming: readonly (readonly number[])[],
  order: readonly number[],
  queries: readonly UpstreamQuery[],
  searchBudget?: number,
): boolean[] {
  const answers: boolean[] = new Array(queries.length).fill(false);
  if (queries.length === 0) return answers;
  let edgeCount = 0;
  for (const sources of incoming) edgeCount += sources.length;
  const unanswered = answerBySearch(nodeCount, incoming, queries, answers, searchBudget ?? 4 * (nodeCount + edgeCount) + 10_000);
  if (unanswered.length > 0) answerByBitRows(nodeCount, incoming, order, queries, unanswered, answers);
  return answers;
}

/** Backward searches that stop early; returns the indices of the queries left when the budget ran out. */
function answerBySearch(
  nodeCount: number,
  incoming: readonly (readonly number[])[],
  queries: readonly UpstreamQuery[],
  answers: boolean[],
  budget: number,
): number[] {
  const byReader = new Map<number, number[]>();
  queries.forEach((q, i) => {
    const list = byReader.get(q.reader);
    if (list) list.push(i);
    else byReader.set(q.reader, [i]);
  });
  const seen = new Int32Array(nodeCount);
  const wanted = new Int32Array(nodeCount);
  // Breadth first: the nodes a template reads are usually a step or two back.
  const queue: number[] = [];
  let stamp = 0;
  let left = budget;
  const unanswered: number[] = [];
  for (const [reader, indices] of byReader) {
    if (left <= 0) {
      unanswered.push(...indices);
      continue;
    }
    stamp++;
    let missing = 0;
    for (const i of indices) {
      const target = queries[i].target;
      if (wanted[target] !== stamp && target !== reader) {
        wanted[target] = stamp;
        missing++;
      }
    }
    queue.length = 0;
    let head = 0;
    for (const source of incoming[reader]) queue.push(source);
    while (missing > 0 && head < queue.length && left > 0) {
      const node = queue[head++];
      if (seen[node] === stamp) continue;
      seen[node] = stamp;
      left--;
      if (wanted[node] === stamp) missing--;
      for (const source of incoming[node]) if (seen[source] !== stamp) queue.push(source);
    }
    if (missing > 0 && head < queue.length) {
      // Out of budget mid-search: these go to the bit rows.
      unanswered.push(...indices);
      continue;
    }
    for (const i of indices) answers[i] = queries[i].target !== reader && seen[queries[i].target] === stamp;
  }
  return unanswered;
}

function answerByBitRows(
  nodeCount: number,
  incoming: readonly (readonly number[])[],
  order: readonly number[],
  queries: readonly UpstreamQuery[],
  indices: readonly number[],
  answers: boolean[],
): void {
  const bitOf = new Int32Array(nodeCount).fill(-1);
  let targetCount = 0;
  for (const i of indices) if (bitOf[queries[i].target] < 0) bitOf[queries[i].target] = targetCount++;
  const words = (targetCount + 31) >>> 5;
  const rows = new Uint32Array(nodeCount * words);
  for (const node of order) {
    const row = node * words;
    for (const source of incoming[node]) {
      const sourceRow = source * words;
      for (let w = 0; w < words; w++) rows[row + w] |= rows[sourceRow + w];
      const bit = bitOf[source];
      if (bit >= 0) rows[row + (bit >>> 5)] |= 1 << (bit & 31);
    }
  }
  for (const i of indices) {
    const bit = bitOf[queries[i].target];
    answers[i] = (rows[queries[i].reader * words + (bit >>> 5)] & (1 << (bit & 31))) !== 0;
  }
}
