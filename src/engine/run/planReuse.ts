// What a resumed run reuses (spec section 5). Resume: every node that completed before. Re-run from X: the
// same, but only nodes that are not X nor downstream of it. An output cut by the history size limit cannot be
// reused faithfully, so that node runs again.

import type { CompiledGraph } from '../model/compiledFlow';
import type { NodeRecord, RunRecord } from './runRecord';

export interface ReusePlan {
  reuse: Map<string, NodeRecord>;
  /** State of nodes that were in flight (a wait's due time), handed back to them. */
  savedStates: Map<string, unknown>;
}

export function planReuse(graph: CompiledGraph, previous: RunRecord, rerunFrom?: string): ReusePlan {
  const excluded = rerunFrom === undefined ? new Set<string>() : downstreamOf(graph, rerunFrom);
  const reuse = new Map<string, NodeRecord>();
  const savedStates = new Map<string, unknown>();
  for (const node of graph.nodes) {
    const before = previous.nodes[node.id];
    if (!before || excluded.has(node.id)) continue;
    if (before.status === 'completed' && !isTruncated(before.output)) reuse.set(node.id, before);
    else if (before.state !== undefined && rerunFrom === undefined) savedStates.set(node.id, before.state);
  }
  return { reuse, savedStates };
}

/** `start` and every node reachable from it. */
export function downstreamOf(graph: CompiledGraph, start: string): Set<string> {
  const first = graph.byId.get(start);
  const seen = new Set<string>();
  if (!first) return seen;
  const stack = [first];
  seen.add(first.id);
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const edge of node.outgoing) {
      if (seen.has(edge.to.id)) continue;
      seen.add(edge.to.id);
      stack.push(edge.to);
    }
  }
  return seen;
}

function isTruncated(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { $truncated?: unknown }).$truncated === true;
}
