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
// An ai node's streamed text (`node.progress` deltas) is kept per node while it runs, the answer and the
// reasoning apart, each bounded (streamedText.ts): a new attempt or a fallback taking over (a progress `message`)
// starts it over, and completion drops the streamed answer for the node's output (the final text), keeping the
// reasoning, which the record does not have. Circuit breakers opening and closing are lines of the log.
//
// Events of nodes inside a loop's body carry `loop: { loopNodeId, iteration }`; they count under the top-level
// loop node (its iterations, logs and AI usage), since body nodes are not part of the run's node list.
//
// What a run and its nodes are (statuses, attempt counts, iterations, ports, AI usage, times) is the engine's one
// projection (src/engine/run/runProjection.ts), shared with the canvas; this file adds what only the panel shows:
// attempt segments, per-iteration bars, logs, and the values.

import { describeError, type SerializedError } from '../../src/engine/errors';
import type { LogLevel, ToolCallProgress } from '../../src/engine/nodes/nodeType';
import type { EngineEvent, LoopScope } from '../../src/engine/run/events';
import {
  applyRecord,
  createRunProjection,
  endRun,
  foldEvent,
  totalUsage,
  type NodeProjection,
  type RunProjection,
  type RunViewStatus,
} from '../../src/engine/run/runProjection';
import type { NodeUsage, RunRecord } from '../../src/engine/run/runRecord';
import type { FeedbackEntry } from '../../src/engine/history/feedbackStore';
import { formatClock } from './format';
import { appendStreamed } from './streamedText';

export type { RunViewStatus };

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
  /** The line stands for the node's failure (from `node.failed` or the record's error), not for a log call. */
  failure?: boolean;
}

/** Iteration bars of a loop node (from its body's events). */
export interface IterationView {
  index: number;
  start: number;
  end: number;
  failed: boolean;
}

/** A node as the panel shows it: the projection's facts, and what only the panel keeps. */
export interface NodeView extends NodeProjection {
  /** Position in the run's node list (execution.started nodeIds order, then first appearance). */
  index: number;
  type?: string;
  /** Attempt segments on the time axis (exact from the events; one spanning the node from a record alone). */
  attempts: AttemptSegment[];
  hasInput: boolean;
  input?: unknown;
  hasOutput: boolean;
  output?: unknown;
  logs: LogLine[];
  /** Loop nodes: iterations seen in the events, by index. */
  iterations: IterationView[];
  /**
   * The answer text streamed so far in the node's current attempt (node.progress deltas), bounded; absent when
   * none came, and once the node completed (its output holds the final text). A node that failed or was stopped
   * keeps what it streamed.
   */
  streamedAnswer?: string;
  /** The model's reasoning text streamed in the current attempt, bounded; kept after the node ended. */
  streamedReasoning?: string;
  /** The node streamed text in the events (its card then says, politely, when the answer is complete). */
  streamed?: true;
  /** A person's verdict on the node's output in this recorded run (decision feedback). */
  feedback?: FeedbackEntry;
  /** An ai node's tool calls as its progress events reported them, in the order they started (the output has them once it completed). */
  toolCalls?: ToolCallProgress[];
  /** Bumped on every change to this node, for memoised components. */
  rev: number;
}

export interface RunView extends RunProjection<NodeView> {
  version: number;
  flowName?: string;
  input?: unknown;
  output?: unknown;
  error?: SerializedError;
  resumedFrom?: string;
  /** m in "n of m nodes" (`settledNodes` is n: nodes that ended). */
  totalNodes: number;
  logs: LogLine[];
  /** Whether any node event has been applied (the first-paint measurement waits for it). */
  sawNodeEvent: boolean;
  /** Whether the view came from the events (attempt segments are exact) or from a record only. */
  fromEvents: boolean;
  /** Node types by id: not in the events; the host reads them from the flow file. */
  nodeTypes?: Record<string, string>;
}

export type RunInput =
  | { kind: 'snapshot'; flowName?: string; startedAt?: number; nodeTypes?: Record<string, string>; events: readonly EngineEvent[]; record?: RunRecord }
  | { kind: 'events'; events: readonly EngineEvent[] }
  | { kind: 'record'; record: RunRecord }
  /** The run ended without a record (its process stopped): settles a view still running. */
  | { kind: 'ended'; message: string }
  /** Decision feedback on nodes of the run, by node id (from the snapshot, or just given). */
  | { kind: 'feedback'; nodes: Record<string, FeedbackEntry> };

export function createRunView(flowName?: string, startedAt?: number, nodeTypes?: Record<string, string>): RunView {
  const projection = createRunProjection<NodeView>((id, index) => ({
    id,
    index,
    type: nodeTypes?.[id],
    status: 'pending',
    attemptCount: 0,
    attempts: [],
    hasInput: false,
    hasOutput: false,
    logs: [],
    iterations: [],
    rev: 0,
  }));
  return { ...projection, version: 0, flowName, startedAt, totalNodes: 0, logs: [], sawNodeEvent: false, fromEvents: false, nodeTypes };
}

/** The reducer: applies a snapshot (a fresh view), events or a record, and returns the view with a new version. */
export function reduceRun(view: RunView, input: RunInput): RunView {
  switch (input.kind) {
    case 'snapshot': {
      const fresh = createRunView(input.flowName, input.startedAt, input.nodeTypes);
      applyEvents(fresh, input.events);
      if (input.record) applyRunRecord(fresh, input.record);
      return bump(fresh);
    }
    case 'events':
      applyEvents(view, input.events);
      return bump(view);
    case 'record':
      applyRunRecord(view, input.record);
      return bump(view);
    case 'ended':
      if (view.status === 'running' || view.status === 'starting') {
        const ts = view.finishedAt ?? Date.now();
        endRun(view, 'failed', ts);
        view.error = view.error ?? { message: input.message };
        closeStopped(view, ts);
      }
      return bump(view);
    case 'feedback':
      for (const [id, entry] of Object.entries(input.nodes)) {
        const node = view.byId.get(id);
        if (!node) continue;
        node.feedback = entry;
        node.rev++;
      }
      return bump(view);
  }
}

function bump(view: RunView): RunView {
  return { ...view, version: view.version + 1, totalNodes: view.nodes.length };
}

function applyEvents(view: RunView, events: readonly EngineEvent[]): void {
  for (const event of events) {
    const node = foldEvent(view, event);
    if (node === undefined) continue;
    view.fromEvents = true;
    if (node === null) applyRunEvent(view, event);
    else applyNodeEvent(view, node, event as NodeEvent);
  }
}

type NodeEvent = Exclude<EngineEvent, { type: 'execution.started' | 'execution.completed' | 'execution.failed' | 'execution.cancelled' }>;

function applyRunEvent(view: RunView, event: EngineEvent): void {
  switch (event.type) {
    case 'execution.started':
      view.flowName = view.flowName ?? event.flowId;
      view.input = event.input;
      view.resumedFrom = event.resumedFrom;
      return;
    case 'execution.completed':
      view.output = event.output;
      break;
    case 'execution.failed':
      view.error = event.error;
      break;
    case 'execution.cancelled':
      break;
    default:
      return;
  }
  closeStopped(view, Date.parse(event.ts));
}

function applyNodeEvent(view: RunView, node: NodeView, event: NodeEvent): void {
  const ts = Date.parse(event.ts);
  view.sawNodeEvent = true;
  node.rev++;
  if (event.loop) {
    applyBodyEvent(view, node, event, ts, event.loop);
    return;
  }
  switch (event.type) {
    case 'node.started':
      // A new attempt streams its answer anew.
      node.streamedAnswer = undefined;
      node.toolCalls = undefined;
      node.streamedReasoning = undefined;
      closeOpenAttempt(node, ts, 'failed');
      node.attempts.push({ attempt: event.attempt, start: ts, status: 'running' });
      node.input = event.input;
      node.hasInput = true;
      return;
    case 'node.retrying': {
      const open = openAttempt(node);
      if (open) {
        open.end = ts;
        open.status = 'failed';
        open.retryDelayMs = event.delayMs;
        open.error = event.error;
      } else {
        node.attempts.push({ attempt: event.attempt - 1, start: ts, end: ts, status: 'failed', retryDelayMs: event.delayMs, error: event.error });
      }
      return;
    }
    case 'node.completed':
      if (!closeOpenAttempt(node, ts, 'completed') && !event.reused) {
        node.attempts.push({ attempt: Math.max(1, node.attemptCount), start: ts - event.durationMs, end: ts, status: 'completed' });
      }
      node.output = event.output;
      node.hasOutput = true;
      node.streamedAnswer = undefined;
      return;
    case 'node.failed': {
      const open = openAttempt(node);
      if (open) {
        open.end = ts;
        open.status = 'failed';
        open.error = event.error;
      } else {
        node.attempts.push({ attempt: Math.max(1, node.attemptCount), start: ts - event.durationMs, end: ts, status: 'failed', error: event.error });
      }
      // The run's log only: the card shows the error above its own logs already.
      view.logs.push(failureLine(event.seq, ts, event.nodeId, event.error));
      return;
    }
    case 'node.cancelled':
      closeOpenAttempt(node, ts, 'cancelled');
      return;
    case 'node.log': {
      const line: LogLine = { seq: event.seq, ts, level: event.level, nodeId: event.nodeId, message: event.message };
      node.logs.push(line);
      view.logs.push(line);
      return;
    }
    case 'node.progress':
      applyProgress(node, event);
      return;
    case 'circuit.opened':
    case 'circuit.closed': {
      const line = circuitLine(event, ts);
      node.logs.push(line);
      view.logs.push(line);
      return;
    }
    case 'node.skipped':
      return;
  }
}

/** Streamed text goes to its channel; a message without text (a fallback taking over) starts the text over. */
function applyProgress(node: NodeView, event: Extract<NodeEvent, { type: 'node.progress' }>): void {
  // Late pieces of a node that has ended (stopped while its stream was in flight) are not its answer.
  if (node.status !== 'running') return;
  if (event.toolCall !== undefined) {
    const calls = (node.toolCalls ??= []);
    const at = calls.findIndex((call) => call.id === event.toolCall!.id);
    if (at === -1) calls.push(event.toolCall);
    else calls[at] = event.toolCall;
    return;
  }
  if (event.delta !== undefined) {
    node.streamed = true;
    if (event.channel === 'reasoning') node.streamedReasoning = appendStreamed(node.streamedReasoning ?? '', event.delta);
    else node.streamedAnswer = appendStreamed(node.streamedAnswer ?? '', event.delta);
  } else if (event.message !== undefined) {
    node.streamedAnswer = undefined;
    node.streamedReasoning = undefined;
  }
}

type CircuitEvent = Extract<NodeEvent, { type: 'circuit.opened' | 'circuit.closed' }>;

/**
 * A circuit breaker's change as a line of the log: opened is a warning (calls to the target now fail fast, which
 * is why a node failed at once), closed is news.
 */
function circuitLine(event: CircuitEvent, ts: number): LogLine {
  const { target, failures, retryAt } = event.circuit;
  const message =
    event.type === 'circuit.opened'
      ? `Circuit opened for ${target} after ${failures} failure${failures === 1 ? '' : 's'}: calls to it fail fast` +
        (retryAt ? ` until a probe at ${formatClock(Date.parse(retryAt))}.` : '.')
      : `Circuit closed for ${target}: a probe call succeeded, calls go through again.`;
  const line: LogLine = { seq: event.seq, ts, level: event.type === 'circuit.opened' ? 'warn' : 'info', nodeId: event.nodeId, message };
  if (event.loop) line.loop = event.loop;
  return line;
}

/** A node's failure as a line of the run's log (level error): the message, and the way out when one is known. */
function failureLine(seq: number, ts: number, nodeId: string, error: SerializedError): LogLine {
  const code = error.code ? ` [${error.code}]` : '';
  const hint = error.hint ? ` ${error.hint}` : '';
  return { seq, ts, level: 'error', nodeId, message: `Failed${code}: ${describeError(error)}${hint}`, failure: true };
}

/** A body event, under its top-level node `owner`: its logs, and the bars of the loop's own iterations. */
function applyBodyEvent(view: RunView, owner: NodeView, event: NodeEvent, ts: number, loop: LoopScope): void {
  if (event.type === 'node.log' || event.type === 'circuit.opened' || event.type === 'circuit.closed') {
    const line: LogLine =
      event.type === 'node.log' ? { seq: event.seq, ts, level: event.level, nodeId: event.nodeId, message: event.message, loop } : circuitLine(event, ts);
    owner.logs.push(line);
    view.logs.push(line);
    return;
  }
  // A body node's streamed text is not kept: the iterations of a loop stream side by side, and the card is the
  // loop's. Its progress only moves the iteration's bar.
  // Deeper loops show in their parent's iterations through their own events.
  if (loop.loopNodeId !== owner.id) return;
  let iteration = owner.iterations[loop.iteration];
  if (!iteration) {
    iteration = { index: loop.iteration, start: ts, end: ts, failed: false };
    owner.iterations[loop.iteration] = iteration;
  }
  iteration.end = Math.max(iteration.end, ts);
  if (event.type === 'node.failed' && !event.errorHandled) iteration.failed = true;
}

function openAttempt(node: NodeView): AttemptSegment | undefined {
  const last = node.attempts[node.attempts.length - 1];
  return last && last.end === undefined ? last : undefined;
}

function closeOpenAttempt(node: NodeView, ts: number, status: AttemptSegment['status']): boolean {
  const open = openAttempt(node);
  if (!open) return false;
  open.end = ts;
  open.status = status;
  return true;
}

/** At the run's end: attempts of nodes that no longer run (stopped with the run) close at `ts`. */
function closeStopped(view: RunView, ts: number): void {
  for (const node of view.nodes) {
    if (node.status === 'running') continue;
    if (closeOpenAttempt(node, ts, node.status === 'completed' ? 'completed' : node.status === 'failed' ? 'failed' : 'cancelled')) node.rev++;
    else if (node.status === 'cancelled') node.rev++;
  }
}

/** The run's AI usage: its nodes' summed. */
export function runUsage(view: RunView): NodeUsage | undefined {
  return totalUsage(view.nodes);
}

/**
 * Folds a record into the view: the facts from the projection, then the values, and per node what the events did
 * not give. With events, their attempt segments stay (they are exact); without, each node that ran gets one
 * segment from its startedAt to its finishedAt, labelled with its attempt count.
 */
function applyRunRecord(view: RunView, record: RunRecord): void {
  const fromEvents = view.fromEvents && view.runId === record.id;
  applyRecord(view, record);
  view.flowName = view.flowName ?? record.flowId;
  view.input = record.input;
  if ('output' in record) view.output = record.output;
  if (record.error) view.error = record.error;
  view.resumedFrom = record.resumedFrom;

  for (const id in record.nodes) {
    const rec = record.nodes[id];
    const node = view.byId.get(id)!;
    node.rev++;
    if (!fromEvents && node.startedAt !== undefined && rec.attempts > 0 && !rec.reused) {
      const status: AttemptSegment['status'] = rec.status === 'completed' ? 'completed' : rec.status === 'running' ? 'running' : rec.status === 'failed' ? 'failed' : 'cancelled';
      node.attempts = [{ attempt: rec.attempts, start: node.startedAt, end: node.finishedAt ?? (rec.status === 'running' ? undefined : node.startedAt), status, error: rec.error }];
    }
    if ('input' in rec) {
      node.input = rec.input;
      node.hasInput = true;
    }
    if ('output' in rec) {
      node.output = rec.output;
      node.hasOutput = true;
    }
    if (!fromEvents && rec.logs) {
      node.logs = rec.logs.map((entry, i) => ({ seq: i, ts: Date.parse(entry.ts), level: entry.level, nodeId: id, message: entry.message }));
    }
  }
  if (!fromEvents) {
    // The run's log in time order: each node's lines are in order, so sorting their concatenation is enough.
    // The record keeps a node's error apart from its logs; the run's log shows it where it happened, as the events do.
    const failures = view.nodes
      .filter((node) => node.status === 'failed' && record.nodes[node.id]?.error !== undefined)
      .map((node) => failureLine(0, node.finishedAt ?? node.startedAt ?? Date.parse(record.startedAt), node.id, record.nodes[node.id].error!));
    view.logs = [...view.nodes.flatMap((node) => node.logs), ...failures].sort((a, b) => a.ts - b.ts);
    view.logs.forEach((line, i) => (line.seq = i + 1));
  }
  if (view.status !== 'running' && view.status !== 'interrupted') closeStopped(view, view.finishedAt ?? Date.now());
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
