// The execution panel's view model, built from what the host sends: a snapshot (the events so far), batches of
// further events, and the run record once the run has ended (or, for a run opened from history, the record alone).
//
// A run can have 10,000 nodes and many more events, so the work is O(events): node views and the log are updated
// in place and each reduction returns a new top-level object (a new `version`) so React sees the change, while
// components memoise per node on `rev`. Events at or below the last `seq` seen are ignored: a snapshot and a batch
// may overlap after a reload.
//
// Attempts are segments on the time axis: `node.started` (attempt n) opens one; `node.retrying` closes it as failed
// and the delay until the next `node.started` is the gap between segments; `node.completed` / `node.failed` close
// the last one. A record has no per-attempt times, so attempts come from it only when the events are absent.
//
// Events of nodes inside a loop's body carry `loop: { loopNodeId, iteration }`; they are folded into the top-level
// loop node (its iterations, logs and AI usage), since body nodes are not part of the run's node list.

import type { SerializedError } from '../../src/engine/errors';
import type { LogLevel } from '../../src/engine/nodes/nodeType';
import type { EngineEvent, LoopScope } from '../../src/engine/run/events';
import type { NodeStatus, RunRecord, RunStatus } from '../../src/engine/run/runRecord';

/** `starting`: the run was requested and no event has arrived yet. */
export type RunViewStatus = RunStatus | 'starting';

export interface AttemptSegment {
  attempt: number;
  /** Epoch ms. */
  start: number;
  /** Epoch ms; absent while the attempt runs. */
  end?: number;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  /** The wait before the next attempt (set by node.retrying). */
  retryDelayMs?: number;
  error?: SerializedError;
}

export interface LogLine {
  seq: number;
  /** Epoch ms. */
  ts: number;
  level: LogLevel;
  /** The node that logged (a body node's own id inside a loop). */
  nodeId: string;
  message: string;
  loop?: LoopScope;
}

export interface AiUsage {
  inputTokens: number;
  outputTokens: number;
  /** Sum of the known costs; `costKnown` says whether any call had one. */
  costUsd: number;
  costKnown: boolean;
  calls: number;
}

export interface IterationView {
  index: number;
  start: number;
  end: number;
  failed: boolean;
}

export interface NodeView {
  id: string;
  /** Position in the run's node list (execution.started nodeIds order, then first appearance). */
  index: number;
  type?: string;
  status: NodeStatus;
  attempts: AttemptSegment[];
  /** How many attempts ran (from the events, or the record's count). */
  attemptCount: number;
  startedAt?: number;
  finishedAt?: number;
  durationMs?: number;
  hasInput: boolean;
  input?: unknown;
  hasOutput: boolean;
  output?: unknown;
  error?: SerializedError;
  errorHandled?: boolean;
  skipReason?: 'dead-path' | 'disabled';
  reused?: boolean;
  logs: LogLine[];
  /** Loop nodes: iterations seen so far (from events), by index. */
  iterations: IterationView[];
  /** Loop nodes: the count (the record's, or the iterations seen). */
  iterationCount?: number;
  usage?: AiUsage;
  /** Bumped on every change to this node, for memoised components. */
  rev: number;
}

export interface RunView {
  version: number;
  runId?: string;
  flowId?: string;
  flowName?: string;
  status: RunViewStatus;
  /** Epoch ms. */
  startedAt?: number;
  finishedAt?: number;
  durationMs?: number;
  input?: unknown;
  output?: unknown;
  error?: SerializedError;
  resumedFrom?: string;
  /** Nodes in display order. Mutated in place (see the file comment); read `version` to know it changed. */
  nodes: NodeView[];
  byId: Map<string, NodeView>;
  /** m in "n of m nodes". */
  totalNodes: number;
  /** n in "n of m nodes": nodes that ended (completed, failed, skipped or cancelled). */
  settledNodes: number;
  logs: LogLine[];
  usage: AiUsage;
  /** Highest event seq applied. */
  lastSeq: number;
  /** Whether any node event has been applied (the first-paint measurement waits for it). */
  sawNodeEvent: boolean;
  /** Whether the view came from the events (attempt segments are exact) or from a record only. */
  fromEvents: boolean;
  /** Node types by id: not in the events; the host reads them from the flow file. */
  nodeTypes?: Record<string, string>;
  /** Bookkeeping for loop bodies: a body node's loop (loops nest), and body inputs until their node ends. */
  loopParents: Map<string, string>;
  bodyInputs: Map<string, unknown>;
}

export type RunInput =
  | { kind: 'snapshot'; flowName?: string; startedAt?: number; nodeTypes?: Record<string, string>; events: readonly EngineEvent[]; record?: RunRecord }
  | { kind: 'events'; events: readonly EngineEvent[] }
  | { kind: 'record'; record: RunRecord }
  /** The run ended without a record (its process stopped): settles a view still running. */
  | { kind: 'ended'; message: string };

const SETTLED: ReadonlySet<NodeStatus> = new Set<NodeStatus>(['completed', 'failed', 'skipped', 'cancelled']);

function emptyUsage(): AiUsage {
  return { inputTokens: 0, outputTokens: 0, costUsd: 0, costKnown: false, calls: 0 };
}

export function createRunView(flowName?: string, startedAt?: number): RunView {
  return {
    version: 0,
    flowName,
    status: 'starting',
    startedAt,
    nodes: [],
    byId: new Map(),
    totalNodes: 0,
    settledNodes: 0,
    logs: [],
    usage: emptyUsage(),
    lastSeq: 0,
    sawNodeEvent: false,
    fromEvents: false,
    loopParents: new Map(),
    bodyInputs: new Map(),
  };
}

/** The reducer: applies a snapshot (a fresh view), events or a record, and returns the view with a new version. */
export function reduceRun(view: RunView, input: RunInput): RunView {
  switch (input.kind) {
    case 'snapshot': {
      const fresh = createRunView(input.flowName, input.startedAt);
      if (input.nodeTypes) fresh.nodeTypes = input.nodeTypes;
      applyEvents(fresh, input.events);
      if (input.record) applyRecord(fresh, input.record);
      return bump(fresh);
    }
    case 'events':
      applyEvents(view, input.events);
      return bump(view);
    case 'record':
      applyRecord(view, input.record);
      return bump(view);
    case 'ended':
      if (view.status === 'running' || view.status === 'starting') {
        view.status = 'failed';
        view.error = view.error ?? { message: input.message };
        settleRunning(view, view.finishedAt ?? Date.now());
      }
      return bump(view);
  }
}

function bump(view: RunView): RunView {
  return { ...view, version: view.version + 1 };
}

function nodeOf(view: RunView, id: string): NodeView {
  let node = view.byId.get(id);
  if (!node) {
    node = {
      id,
      index: view.nodes.length,
      type: view.nodeTypes?.[id],
      status: 'pending',
      attempts: [],
      attemptCount: 0,
      hasInput: false,
      hasOutput: false,
      logs: [],
      iterations: [],
      rev: 0,
    };
    view.nodes.push(node);
    view.byId.set(id, node);
    if (view.nodes.length > view.totalNodes) view.totalNodes = view.nodes.length;
  }
  return node;
}

function setStatus(view: RunView, node: NodeView, status: NodeStatus): void {
  const was = SETTLED.has(node.status);
  const is = SETTLED.has(status);
  if (was !== is) view.settledNodes += is ? 1 : -1;
  node.status = status;
}

// Loops can nest: a body may hold a loop whose body events name the inner loop. `loopParents` maps a body node to
// its loop, so an event is attributed to the top-level node that contains it.
function topLevelOf(view: RunView, loop: LoopScope, nodeId: string): string {
  const parents = view.loopParents;
  if (!parents.has(nodeId) && nodeId !== loop.loopNodeId) parents.set(nodeId, loop.loopNodeId);
  let id = loop.loopNodeId;
  // A chain longer than the node count would be a cycle: stop rather than spin.
  for (let hops = 0; parents.has(id) && hops < 64; hops++) id = parents.get(id)!;
  return id;
}

function applyEvents(view: RunView, events: readonly EngineEvent[]): void {
  for (const event of events) {
    if (event.seq <= view.lastSeq && view.runId === event.executionId) continue;
    if (view.runId !== undefined && event.executionId !== view.runId) continue;
    view.lastSeq = event.seq;
    view.fromEvents = true;
    applyEvent(view, event);
  }
}

function applyEvent(view: RunView, event: EngineEvent): void {
  const ts = Date.parse(event.ts);
  switch (event.type) {
    case 'execution.started':
      view.runId = event.executionId;
      view.flowId = event.flowId;
      view.flowName = view.flowName ?? event.flowId;
      view.status = 'running';
      view.startedAt = ts;
      view.input = event.input;
      view.resumedFrom = event.resumedFrom;
      for (const id of event.nodeIds) nodeOf(view, id);
      view.totalNodes = Math.max(view.totalNodes, event.nodeIds.length);
      return;
    case 'execution.completed':
    case 'execution.failed':
    case 'execution.cancelled':
      view.runId = view.runId ?? event.executionId;
      view.status = event.status;
      view.finishedAt = ts;
      view.durationMs = event.durationMs;
      if (event.type === 'execution.completed') view.output = event.output;
      if (event.type === 'execution.failed') view.error = event.error;
      settleRunning(view, ts);
      return;
  }

  view.sawNodeEvent = true;
  if (view.status === 'starting') view.status = 'running';
  if (event.loop) {
    applyLoopEvent(view, event, ts, event.loop);
    return;
  }
  const node = nodeOf(view, event.nodeId);
  node.rev++;
  switch (event.type) {
    case 'node.started': {
      closeOpenAttempt(node, ts, 'failed');
      node.attempts.push({ attempt: event.attempt, start: ts, status: 'running' });
      node.attemptCount = Math.max(node.attemptCount, event.attempt);
      if (node.startedAt === undefined) node.startedAt = ts;
      node.input = event.input;
      node.hasInput = true;
      setStatus(view, node, 'running');
      return;
    }
    case 'node.retrying': {
      const open = lastAttempt(node);
      if (open && open.end === undefined) {
        open.end = ts;
        open.status = 'failed';
        open.retryDelayMs = event.delayMs;
        open.error = event.error;
      } else {
        node.attempts.push({ attempt: event.attempt - 1, start: ts, end: ts, status: 'failed', retryDelayMs: event.delayMs, error: event.error });
      }
      return;
    }
    case 'node.completed': {
      const open = lastAttempt(node);
      if (open && open.end === undefined) {
        open.end = ts;
        open.status = 'completed';
      } else if (!event.reused) {
        node.attempts.push({ attempt: Math.max(1, node.attemptCount), start: ts - event.durationMs, end: ts, status: 'completed' });
      }
      if (node.startedAt === undefined && !event.reused) node.startedAt = ts - event.durationMs;
      if (node.attemptCount === 0 && !event.reused) node.attemptCount = 1;
      node.finishedAt = ts;
      node.durationMs = event.durationMs;
      node.output = event.output;
      node.hasOutput = true;
      node.reused = event.reused;
      if (node.error && !event.reused) node.error = undefined;
      setStatus(view, node, 'completed');
      addUsage(view, node, event.output, node.input, node.type);
      return;
    }
    case 'node.failed': {
      const open = lastAttempt(node);
      if (open && open.end === undefined) {
        open.end = ts;
        open.status = 'failed';
        open.error = event.error;
      } else {
        node.attempts.push({ attempt: Math.max(1, node.attemptCount), start: ts - event.durationMs, end: ts, status: 'failed', error: event.error });
      }
      if (node.startedAt === undefined) node.startedAt = ts - event.durationMs;
      if (node.attemptCount === 0) node.attemptCount = 1;
      node.finishedAt = ts;
      node.durationMs = event.durationMs;
      node.error = event.error;
      node.errorHandled = event.errorHandled;
      setStatus(view, node, 'failed');
      return;
    }
    case 'node.skipped':
      node.skipReason = event.reason;
      node.finishedAt = ts;
      setStatus(view, node, 'skipped');
      return;
    case 'node.log': {
      const line: LogLine = { seq: event.seq, ts, level: event.level, nodeId: event.nodeId, message: event.message };
      node.logs.push(line);
      view.logs.push(line);
      return;
    }
  }
}

type NodeEvent = Exclude<EngineEvent, { type: 'execution.started' | 'execution.completed' | 'execution.failed' | 'execution.cancelled' }>;

function applyLoopEvent(view: RunView, event: NodeEvent, ts: number, loop: LoopScope): void {
  const owner = nodeOf(view, topLevelOf(view, loop, event.nodeId));
  owner.rev++;
  if (event.type === 'node.log') {
    const line: LogLine = { seq: event.seq, ts, level: event.level, nodeId: event.nodeId, message: event.message, loop };
    owner.logs.push(line);
    view.logs.push(line);
    return;
  }
  // Iterations are counted for the loop that directly contains the node when that is the top-level node; deeper
  // loops show in their parent's iterations through their own events.
  if (loop.loopNodeId === owner.id) {
    let iteration = owner.iterations[loop.iteration];
    if (!iteration) {
      iteration = { index: loop.iteration, start: ts, end: ts, failed: false };
      owner.iterations[loop.iteration] = iteration;
      owner.iterationCount = Math.max(owner.iterationCount ?? 0, loop.iteration + 1);
    }
    iteration.end = Math.max(iteration.end, ts);
    if (event.type === 'node.failed' && !event.errorHandled) iteration.failed = true;
  }
  // A body node's input, kept from its start until it ends, to tell an AI call from a pass-through.
  const key = `${loop.loopNodeId}\u0000${loop.iteration}\u0000${event.nodeId}`;
  const inputs = view.bodyInputs;
  if (event.type === 'node.started') inputs.set(key, event.input);
  else if (event.type === 'node.completed' || event.type === 'node.failed' || event.type === 'node.skipped') {
    if (event.type === 'node.completed') addUsage(view, owner, event.output, inputs.get(key), view.nodeTypes?.[event.nodeId]);
    inputs.delete(key);
  }
}


function lastAttempt(node: NodeView): AttemptSegment | undefined {
  return node.attempts[node.attempts.length - 1];
}

function closeOpenAttempt(node: NodeView, ts: number, status: AttemptSegment['status']): void {
  const open = lastAttempt(node);
  if (open && open.end === undefined) {
    open.end = ts;
    open.status = status;
  }
}

/**
 * At the run's end, nodes still running were aborted: they end `cancelled`. Pending nodes end `cancelled` only when
 * the run was cancelled (spec section 5); after a failure they stay pending (they never ran).
 */
function settleRunning(view: RunView, ts: number): void {
  const pendingToo = view.status === 'cancelled';
  for (const node of view.nodes) {
    if (node.status === 'running') {
      closeOpenAttempt(node, ts, 'cancelled');
      node.finishedAt = ts;
    } else if (!(pendingToo && node.status === 'pending')) {
      continue;
    }
    setStatus(view, node, 'cancelled');
    node.rev++;
  }
}

/** An AI node's output: `{ usage: { inputTokens, outputTokens }, costUsd? }`. */
function usageOf(output: unknown): { inputTokens: number; outputTokens: number; costUsd?: number } | undefined {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return undefined;
  const usage = (output as { usage?: unknown }).usage;
  if (usage === null || typeof usage !== 'object') return undefined;
  const { inputTokens, outputTokens } = usage as { inputTokens?: unknown; outputTokens?: unknown };
  if (typeof inputTokens !== 'number' || typeof outputTokens !== 'number') return undefined;
  const cost = (output as { costUsd?: unknown }).costUsd;
  return { inputTokens, outputTokens, costUsd: typeof cost === 'number' ? cost : undefined };
}

/**
 * Adds an AI call's usage to its node and the run. Nodes that pass their input through (if, switch, merge, a
 * transform of `{{ input }}`) would count the same call again, so an output whose usage equals its input's is not
 * a call, unless the node is known to be an `ai` node.
 */
function addUsage(view: RunView, node: NodeView, output: unknown, input: unknown, type: string | undefined): void {
  const usage = usageOf(output);
  if (!usage) return;
  if (type !== 'ai') {
    const passed = usageOf(input);
    if (passed && passed.inputTokens === usage.inputTokens && passed.outputTokens === usage.outputTokens && passed.costUsd === usage.costUsd) return;
  }
  node.usage = node.usage ?? emptyUsage();
  for (const total of [node.usage, view.usage]) {
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    total.calls++;
    if (usage.costUsd !== undefined) {
      total.costUsd += usage.costUsd;
      total.costKnown = true;
    }
  }
}

/**
 * Folds a record into the view: the run's final status, output and error, and per node what the events did not
 * say. With events, their attempt segments stay (they are exact); without, each node that ran gets one segment
 * from its startedAt to its finishedAt, labelled with its attempt count.
 */
function applyRecord(view: RunView, record: RunRecord): void {
  const fromEvents = view.fromEvents && view.runId === record.id;
  view.runId = record.id;
  view.flowId = record.flowId;
  view.flowName = view.flowName ?? record.flowId;
  view.status = record.status;
  view.startedAt = Date.parse(record.startedAt);
  if (record.finishedAt) view.finishedAt = Date.parse(record.finishedAt);
  if (record.durationMs !== undefined) view.durationMs = record.durationMs;
  view.input = record.input;
  if ('output' in record) view.output = record.output;
  if (record.error) view.error = record.error;
  view.resumedFrom = record.resumedFrom;

  const ids = Object.keys(record.nodes);
  view.totalNodes = Math.max(ids.length, fromEvents ? view.totalNodes : 0);
  for (const id of ids) {
    const rec = record.nodes[id];
    const node = nodeOf(view, id);
    node.rev++;
    const startedAt = rec.startedAt ? Date.parse(rec.startedAt) : undefined;
    const finishedAt = rec.finishedAt ? Date.parse(rec.finishedAt) : undefined;
    if (!fromEvents || node.startedAt === undefined) node.startedAt = startedAt;
    if (finishedAt !== undefined) node.finishedAt = finishedAt;
    if (rec.durationMs !== undefined) node.durationMs = rec.durationMs;
    node.attemptCount = Math.max(node.attemptCount, rec.attempts);
    if (!fromEvents && startedAt !== undefined && rec.attempts > 0 && !rec.reused) {
      const status: AttemptSegment['status'] = rec.status === 'completed' ? 'completed' : rec.status === 'running' ? 'running' : rec.status === 'failed' ? 'failed' : 'cancelled';
      node.attempts = [{ attempt: rec.attempts, start: startedAt, end: finishedAt ?? (rec.status === 'running' ? undefined : startedAt), status, error: rec.error }];
    }
    if ('input' in rec) {
      node.input = rec.input;
      node.hasInput = true;
    }
    if ('output' in rec) {
      if (!node.hasOutput && !fromEvents) addUsage(view, node, rec.output, rec.input, node.type);
      node.output = rec.output;
      node.hasOutput = true;
    }
    if (rec.error) node.error = rec.error;
    if (rec.errorHandled !== undefined) node.errorHandled = rec.errorHandled;
    if (rec.disabled) node.skipReason = 'disabled';
    if (rec.reused) node.reused = true;
    if (rec.iterations !== undefined) node.iterationCount = rec.iterations;
    if (!fromEvents && rec.logs) {
      node.logs = rec.logs.map((entry, i) => ({ seq: i, ts: Date.parse(entry.ts), level: entry.level, nodeId: id, message: entry.message }));
    }
    setStatus(view, node, rec.status);
  }
  if (!fromEvents) {
    // The run's log in time order: each node's lines are in order, so sorting their concatenation is enough.
    view.logs = view.nodes.flatMap((node) => node.logs).sort((a, b) => a.ts - b.ts);
    view.logs.forEach((line, i) => (line.seq = i + 1));
  }
  // An interrupted run can be resumed: its nodes keep the status they had when its process died.
  if (view.status !== 'running' && view.status !== 'interrupted') settleRunning(view, view.finishedAt ?? Date.now());
}

/** "3 of 5 nodes". */
export function progressText(view: RunView): string {
  return `${view.settledNodes} of ${view.totalNodes} node${view.totalNodes === 1 ? '' : 's'}`;
}

/** The run's duration: the recorded one when ended, else the time since it started. */
export function runDuration(view: RunView, now: number): number | undefined {
  if (view.durationMs !== undefined && view.status !== 'running' && view.status !== 'starting') return view.durationMs;
  if (view.startedAt === undefined) return undefined;
  return Math.max(0, (view.finishedAt ?? now) - view.startedAt);
}
