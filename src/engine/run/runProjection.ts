// One projection of a run: what a run and each of its nodes look like (status, attempts, loop iterations, the
// ports that fired, AI usage, timings), folded from the events as they come, or read from the run record. The
// execution panel, the canvas and the CodeLens use it, so they cannot disagree; a run's events fold to the same
// view as its record (test/unit/engine/run/runProjection.property.test.ts). Values (inputs, outputs, logs) are
// not facts of progress and stay with the views that show them.
//
// Pure and browser-safe: the webviews bundle it, so it imports types only. Work is O(1) per event: nodes are
// updated in place; a view that needs a new object per change (React) copies the top level itself.
//
// Rules, the same as the engine's (src/engine/run/graphRun.ts):
// - Events of nodes inside a loop's body count under the top-level node that holds them (their loop, or the loop
//   holding that loop): its iterations and AI usage, and only while it runs. Body nodes are not in the record.
// - When a run ends, nodes still pending or running end `cancelled` (those that were running got
//   `node.cancelled` already), as the record says.
// - Times are epoch ms, parsed from the ISO times of the events and the record, which the engine makes the same.

import type { SerializedError } from '../errors';
import type { EngineEvent, LoopScope } from './events';
import type { NodeRecord, NodeStatus, NodeUsage, RunRecord, RunStatus } from './runRecord';

/** `starting`: nothing is known yet (the run was requested, no event has come). */
export type RunViewStatus = RunStatus | 'starting';

export interface NodeProjection {
  id: string;
  status: NodeStatus;
  /** How many attempts started (0: it did not run, or its output was reused). */
  attemptCount: number;
  /** Epoch ms of the first attempt's start. */
  startedAt?: number;
  /** Epoch ms; set when it completed, failed or was stopped after it started. */
  finishedAt?: number;
  durationMs?: number;
  /** The output ports that fired: a completed node, or a failed one whose error was handled. */
  ports?: readonly string[];
  /** Model calls of the node, or of its loop body (`calls` absent means one). */
  usage?: NodeUsage;
  /** Loop nodes: iterations seen so far, or all of them once it completed. */
  iterationCount?: number;
  error?: SerializedError;
  errorHandled?: true;
  skipReason?: 'dead-path' | 'disabled' | 'debugger';
  reused?: true;
}

export interface RunProjection<N extends NodeProjection = NodeProjection> {
  runId?: string;
  flowId?: string;
  status: RunViewStatus;
  /** Epoch ms. */
  startedAt?: number;
  finishedAt?: number;
  durationMs?: number;
  /** The run's top-level nodes in the flow's order (then any other id, in order of appearance). */
  nodes: N[];
  byId: Map<string, N>;
  /** Nodes that ended: completed, failed, skipped or cancelled. */
  settledNodes: number;
  /** Highest event seq folded. */
  lastSeq: number;
  /** A body node's loop (loops nest): how a body event finds its top-level node. */
  loopParents: Map<string, string>;
  /** Makes a node: a view that keeps more per node (the timeline) makes its own, with these fields set. */
  makeNode: (id: string, index: number) => N;
}

const DEFAULT_PORTS: readonly string[] = ['out'];

export function newNodeProjection(id: string): NodeProjection {
  return { id, status: 'pending', attemptCount: 0 };
}

export function createRunProjection(): RunProjection;
export function createRunProjection<N extends NodeProjection>(makeNode: (id: string, index: number) => N): RunProjection<N>;
export function createRunProjection(makeNode: (id: string, index: number) => NodeProjection = newNodeProjection): RunProjection {
  return { status: 'starting', nodes: [], byId: new Map(), settledNodes: 0, lastSeq: 0, loopParents: new Map(), makeNode };
}

/** The view of a recorded run. */
export function projectRecord(record: RunRecord): RunProjection {
  const run = createRunProjection();
  applyRecord(run, record);
  return run;
}

/** The view of a run's events. */
export function projectEvents(events: readonly EngineEvent[]): RunProjection {
  const run = createRunProjection();
  for (const event of events) foldEvent(run, event);
  return run;
}

/**
 * Folds one event into the view. Returns the top-level node it concerns (for a body event, the node that holds
 * the body), `null` for an event of the run itself, and `undefined` when the event was not applied: an event of
 * another run, or one already folded (a snapshot and a batch may overlap).
 */
export function foldEvent<N extends NodeProjection>(run: RunProjection<N>, event: EngineEvent): N | null | undefined {
  if (run.runId !== undefined && (event.executionId !== run.runId || event.seq <= run.lastSeq)) return undefined;
  run.lastSeq = event.seq;
  const ts = Date.parse(event.ts);
  switch (event.type) {
    case 'execution.started':
      run.runId = event.executionId;
      run.flowId = event.flowId;
      run.status = 'running';
      run.startedAt = ts;
      for (const id of event.nodeIds) nodeOf(run, id);
      return null;
    case 'execution.completed':
    case 'execution.failed':
    case 'execution.cancelled':
      run.runId ??= event.executionId;
      run.status = event.status;
      run.finishedAt = ts;
      run.durationMs = event.durationMs;
      cancelUnfinished(run);
      return null;
  }
  run.runId ??= event.executionId;
  if (run.status === 'starting') run.status = 'running';
  if (event.loop) return foldBodyEvent(run, event, event.loop);

  const node = nodeOf(run, event.nodeId);
  switch (event.type) {
    case 'node.started':
      setStatus(run, node, 'running');
      if (event.attempt > node.attemptCount) node.attemptCount = event.attempt;
      if (event.attempt === 1) node.startedAt = ts;
      break;
    case 'node.completed':
      setStatus(run, node, 'completed');
      node.ports = event.ports;
      node.error = undefined;
      node.errorHandled = undefined;
      if (event.usage) node.usage = addUsage(node.usage, event.usage);
      if (event.iterations !== undefined) node.iterationCount = event.iterations;
      if (event.reused) {
        // A reused node did not run here: it has no times and no attempts of its own.
        node.reused = true;
        node.attemptCount = 0;
      } else {
        node.finishedAt = ts;
        node.durationMs = event.durationMs;
      }
      break;
    case 'node.failed':
      setStatus(run, node, 'failed');
      node.finishedAt = ts;
      node.durationMs = event.durationMs;
      node.error = event.error;
      node.errorHandled = event.errorHandled ? true : undefined;
      node.ports = event.ports;
      break;
    case 'node.skipped':
      setStatus(run, node, 'skipped');
      node.skipReason = event.reason;
      break;
    case 'node.cancelled':
      setStatus(run, node, 'cancelled');
      node.finishedAt = ts;
      node.durationMs = event.durationMs;
      break;
    case 'node.retrying':
    case 'node.log':
      break;
  }
  return node;
}

type NodeEvent = Exclude<EngineEvent, { type: 'execution.started' | 'execution.completed' | 'execution.failed' | 'execution.cancelled' }>;

function foldBodyEvent<N extends NodeProjection>(run: RunProjection<N>, event: NodeEvent, loop: LoopScope): N {
  const owner = nodeOf(run, topLevelOf(run, loop, event.nodeId));
  // Late events of an iteration whose loop has ended (its run was stopped) change nothing: the record has ended.
  if (owner.status !== 'running') return owner;
  if (loop.loopNodeId === owner.id && (owner.iterationCount === undefined || owner.iterationCount <= loop.iteration)) {
    owner.iterationCount = loop.iteration + 1;
  }
  if (event.type === 'node.completed' && event.usage) owner.usage = addUsage(owner.usage, event.usage);
  return owner;
}

// A body may hold a loop whose body events name the inner loop: `loopParents` maps each body node to its loop,
// so an event is attributed to the top-level node that contains it.
function topLevelOf(run: RunProjection<NodeProjection>, loop: LoopScope, nodeId: string): string {
  const parents = run.loopParents;
  if (nodeId !== loop.loopNodeId && !parents.has(nodeId)) parents.set(nodeId, loop.loopNodeId);
  let id = loop.loopNodeId;
  // A chain longer than any real nesting would be a cycle (ids reused across loops): stop rather than spin.
  for (let hops = 0; hops < 64; hops++) {
    const parent = parents.get(id);
    if (parent === undefined) break;
    id = parent;
  }
  return id;
}

/**
 * Folds a record into the view: the record is the whole truth of what it holds, so each of its nodes takes the
 * record's facts. Nodes already in the view (from events) are updated in place and keep their order.
 */
export function applyRecord<N extends NodeProjection>(run: RunProjection<N>, record: RunRecord): void {
  run.runId = record.id;
  run.flowId = record.flowId;
  run.status = record.status;
  run.startedAt = Date.parse(record.startedAt);
  run.finishedAt = record.finishedAt === undefined ? undefined : Date.parse(record.finishedAt);
  run.durationMs = record.durationMs;
  for (const id in record.nodes) readNodeRecord(run, nodeOf(run, id), record.nodes[id]);
  // A run that ended while its process was stopping may still list a node as running; it was stopped. An
  // interrupted run can be resumed, so its nodes keep the status they had when its process died.
  if (record.status !== 'running' && record.status !== 'interrupted') {
    for (const node of run.nodes) if (node.status === 'running') setStatus(run, node, 'cancelled');
  }
}

function readNodeRecord<N extends NodeProjection>(run: RunProjection<N>, node: N, rec: NodeRecord): void {
  setStatus(run, node, rec.status);
  node.attemptCount = rec.attempts;
  node.startedAt = rec.startedAt === undefined ? undefined : Date.parse(rec.startedAt);
  node.finishedAt = rec.finishedAt === undefined ? undefined : Date.parse(rec.finishedAt);
  node.durationMs = rec.durationMs;
  // A completed node's record leaves out `ports` when only `out` fired.
  node.ports = rec.status === 'completed' ? (rec.ports ?? DEFAULT_PORTS) : rec.status === 'failed' && rec.errorHandled ? rec.ports : undefined;
  node.usage = rec.usage === undefined ? undefined : addUsage(undefined, rec.usage);
  node.iterationCount = rec.iterations;
  node.error = rec.error;
  node.errorHandled = rec.errorHandled ? true : undefined;
  node.skipReason = rec.status === 'skipped' ? (rec.disabled ? 'disabled' : 'dead-path') : undefined;
  node.reused = rec.reused ? true : undefined;
}

/** At the end of a run, nodes that had not ended are cancelled (spec section 5, docs/decisions.md "Running"). */
function cancelUnfinished(run: RunProjection<NodeProjection>): void {
  for (const node of run.nodes) if (node.status === 'pending' || node.status === 'running') setStatus(run, node, 'cancelled');
}

/** Marks a run that ended without saying so (its process stopped): still-running nodes are cancelled. */
export function endRun(run: RunProjection<NodeProjection>, status: RunStatus, finishedAt: number): void {
  run.status = status;
  run.finishedAt ??= finishedAt;
  for (const node of run.nodes) if (node.status === 'running') setStatus(run, node, 'cancelled');
}

function nodeOf<N extends NodeProjection>(run: RunProjection<N>, id: string): N {
  let node = run.byId.get(id);
  if (!node) {
    node = run.makeNode(id, run.nodes.length);
    run.nodes.push(node);
    run.byId.set(id, node);
  }
  return node;
}

function setStatus(run: RunProjection<NodeProjection>, node: NodeProjection, status: NodeStatus): void {
  const was = node.status !== 'pending' && node.status !== 'running';
  const is = status !== 'pending' && status !== 'running';
  if (was !== is) run.settledNodes += is ? 1 : -1;
  node.status = status;
}

/**
 * Adds a call's usage to a total: a copy of it when there is no total yet, else the total, updated. The engine
 * sums a loop body's calls into its loop node's record with it, so the record and the events agree to the cent.
 */
export function addUsage(total: NodeUsage | undefined, usage: NodeUsage): NodeUsage {
  if (total === undefined) {
    const copy: NodeUsage = { model: usage.model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
    if (usage.costUsd !== undefined) copy.costUsd = usage.costUsd;
    if (usage.calls !== undefined && usage.calls !== 1) copy.calls = usage.calls;
    return copy;
  }
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
  if (usage.costUsd !== undefined) total.costUsd = (total.costUsd ?? 0) + usage.costUsd;
  total.calls = (total.calls ?? 1) + (usage.calls ?? 1);
  if (!`, ${total.model}, `.includes(`, ${usage.model}, `)) total.model = `${total.model}, ${usage.model}`;
  return total;
}

/** The run's AI usage: its nodes' usage summed in node order. */
export function totalUsage(nodes: readonly NodeProjection[]): NodeUsage | undefined {
  let total: NodeUsage | undefined;
  for (const node of nodes) if (node.usage) total = addUsage(total, node.usage);
  return total;
}
