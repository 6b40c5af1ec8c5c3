// Two runs side by side, node by node: what each node did in run A and in run B (status, duration, output), and
// whether the outputs are the same value. Nodes are listed in the flow's order when it is known, then any node
// only the records know (removed from the flow since), in the records' own order (the engine writes them in
// flow order too).

import type { NodeStatus, RunRecord, RunStatus } from '../../src/engine/run/runRecord';
import { deepEqual } from '../../src/shared/deepEqual';

export interface NodeComparison {
  nodeId: string;
  /** Undefined when the node is not in that run (added to or removed from the flow in between). */
  statusA?: NodeStatus;
  statusB?: NodeStatus;
  durationA?: number;
  durationB?: number;
  /** B minus A, in ms, when both durations are known. */
  durationDelta?: number;
  outputA: unknown;
  outputB: unknown;
  /** The outputs are deeply equal (both absent counts as equal). */
  outputEqual: boolean;
  /** Either output was cut to the history size limit: equality is of what was kept. */
  truncated: boolean;
  /** Anything differs: presence, status or output (durations always differ a little and do not count). */
  differs: boolean;
}

export type RunField = 'status' | 'duration' | 'input' | 'output' | 'error';

export interface RunFieldComparison {
  field: RunField;
  a: unknown;
  b: unknown;
  equal: boolean;
  /** For `duration`: B minus A in ms. */
  delta?: number;
}

export interface RunComparison {
  a: RunSide;
  b: RunSide;
  run: RunFieldComparison[];
  nodes: NodeComparison[];
  /** How many node rows differ. */
  differingNodes: number;
}

export interface RunSide {
  id: string;
  flowId: string;
  status: RunStatus;
  startedAt: string;
  durationMs?: number;
}

export function compareRuns(a: RunRecord, b: RunRecord, flowOrder?: readonly string[]): RunComparison {
  const nodes: NodeComparison[] = [];
  let differingNodes = 0;
  for (const nodeId of nodeOrder(a, b, flowOrder)) {
    const na = own(a.nodes, nodeId);
    const nb = own(b.nodes, nodeId);
    const outputEqual = deepEqual(na?.output, nb?.output);
    const differs = !na || !nb || na.status !== nb.status || !outputEqual;
    if (differs) differingNodes++;
    nodes.push({
      nodeId,
      statusA: na?.status,
      statusB: nb?.status,
      durationA: na?.durationMs,
      durationB: nb?.durationMs,
      durationDelta: na?.durationMs !== undefined && nb?.durationMs !== undefined ? nb.durationMs - na.durationMs : undefined,
      outputA: na?.output,
      outputB: nb?.output,
      outputEqual,
      truncated: isTruncated(a, `nodes.${nodeId}.output`) || isTruncated(b, `nodes.${nodeId}.output`),
      differs,
    });
  }
  const durationDelta = a.durationMs !== undefined && b.durationMs !== undefined ? b.durationMs - a.durationMs : undefined;
  const errorA = a.error?.message;
  const errorB = b.error?.message;
  return {
    a: side(a),
    b: side(b),
    run: [
      { field: 'status', a: a.status, b: b.status, equal: a.status === b.status },
      { field: 'duration', a: a.durationMs, b: b.durationMs, equal: durationDelta === 0, delta: durationDelta },
      { field: 'input', a: a.input, b: b.input, equal: deepEqual(a.input, b.input) },
      { field: 'output', a: a.output, b: b.output, equal: deepEqual(a.output, b.output) },
      { field: 'error', a: errorA, b: errorB, equal: errorA === errorB },
    ],
    nodes,
    differingNodes,
  };
}

function nodeOrder(a: RunRecord, b: RunRecord, flowOrder: readonly string[] | undefined): string[] {
  const present = new Set([...Object.keys(a.nodes ?? {}), ...Object.keys(b.nodes ?? {})]);
  const ordered: string[] = [];
  const seen = new Set<string>();
  for (const id of flowOrder ?? []) {
    if (present.has(id) && !seen.has(id)) {
      seen.add(id);
      ordered.push(id);
    }
  }
  for (const id of present) if (!seen.has(id)) ordered.push(id);
  return ordered;
}

function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function isTruncated(record: RunRecord, path: string): boolean {
  return record.truncated?.includes(path) ?? false;
}

function side(record: RunRecord): RunSide {
  return { id: record.id, flowId: record.flowId, status: record.status, startedAt: record.startedAt, durationMs: record.durationMs };
}
