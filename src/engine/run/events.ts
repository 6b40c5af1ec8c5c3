// Progress leaves the engine through one typed event stream (spec section 11). The timeline, the history store
// and the CLI subscribe; the engine calls none of them by name. `seq` rises by one per run, from 1.

import type { CircuitSnapshot } from '../circuit/circuitBreaker';
import type { SerializedError } from '../errors';
import type { LogLevel, ToolCallProgress } from '../nodes/nodeType';
import type { NodeUsage, RunMode, TriggerInfo } from './runRecord';

interface EventBase {
  executionId: string;
  seq: number;
  /** ISO time. */
  ts: string;
}

/** Set on events of nodes inside a loop's body: which loop node and which iteration. */
export interface LoopScope {
  loopNodeId: string;
  iteration: number;
}

export interface ExecutionStartedEvent extends EventBase {
  type: 'execution.started';
  flowId: string;
  flowFile?: string;
  mode: RunMode;
  trigger: TriggerInfo;
  input: unknown;
  nodeIds: string[];
  resumedFrom?: string;
  parentExecutionId?: string;
}
export interface NodeStartedEvent extends EventBase {
  type: 'node.started';
  nodeId: string;
  attempt: number;
  input: unknown;
  loop?: LoopScope;
}
export interface NodeLogEvent extends EventBase {
  type: 'node.log';
  nodeId: string;
  level: LogLevel;
  message: string;
  loop?: LoopScope;
}
/**
 * A running node's progress, never recorded (spec section 11): `delta` is streamed text (an ai node's tokens,
 * in order; the record keeps only the final text), `channel` says which text it belongs to.
 */
export interface NodeProgressEvent extends EventBase {
  type: 'node.progress';
  nodeId: string;
  /** The next piece of streamed text. */
  delta?: string;
  /** Which text `delta` continues: the answer (absent) or the model's reasoning, kept apart from it. */
  channel?: 'answer' | 'reasoning';
  /** 0..1. */
  progress?: number;
  message?: string;
  /** v1.1: an ai node's tool call starting, completing or failing (its child run's id, arguments, result). */
  toolCall?: ToolCallProgress;
  loop?: LoopScope;
}
/**
 * A circuit breaker of an ai or http node's target opened (after too many failures, or a failed probe) or
 * closed (its probe succeeded). The circuit is the process's (in queue mode, every worker's), not the run's: the
 * event goes out once, in the run whose call changed it, and is not kept in the record.
 */
export interface CircuitOpenedEvent extends EventBase {
  type: 'circuit.opened';
  nodeId: string;
  circuit: CircuitSnapshot;
  loop?: LoopScope;
}
export interface CircuitClosedEvent extends EventBase {
  type: 'circuit.closed';
  nodeId: string;
  circuit: CircuitSnapshot;
  loop?: LoopScope;
}
export interface NodeRetryingEvent extends EventBase {
  type: 'node.retrying';
  nodeId: string;
  attempt: number;
  delayMs: number;
  error: SerializedError;
  loop?: LoopScope;
}
export interface NodeCompletedEvent extends EventBase {
  type: 'node.completed';
  nodeId: string;
  output: unknown;
  durationMs: number;
  /** The output ports that fired. */
  ports: readonly string[];
  /** What the node's model call used (spec section 11). */
  usage?: NodeUsage;
  /** A loop node: how many iterations ran. */
  iterations?: number;
  /** Taken from the run this one resumes. */
  reused?: boolean;
  loop?: LoopScope;
}
export interface NodeFailedEvent extends EventBase {
  type: 'node.failed';
  nodeId: string;
  error: SerializedError;
  errorHandled: boolean;
  durationMs: number;
  /** A handled failure: the port that carried the error on (`error`, or `out` with `onError: "skip"`). */
  ports?: readonly string[];
  loop?: LoopScope;
}
export interface NodeSkippedEvent extends EventBase {
  type: 'node.skipped';
  nodeId: string;
  reason: 'dead-path' | 'disabled' | 'debugger';
  loop?: LoopScope;
}
/** A node that had started and was stopped: the run was cancelled or failed elsewhere, or timed out. */
export interface NodeCancelledEvent extends EventBase {
  type: 'node.cancelled';
  nodeId: string;
  /** How long it ran before it was stopped. */
  durationMs: number;
  loop?: LoopScope;
}
export interface ExecutionCompletedEvent extends EventBase {
  type: 'execution.completed';
  status: 'completed';
  output: unknown;
  durationMs: number;
}
export interface ExecutionFailedEvent extends EventBase {
  type: 'execution.failed';
  status: 'failed';
  error: SerializedError;
  durationMs: number;
}
export interface ExecutionCancelledEvent extends EventBase {
  type: 'execution.cancelled';
  status: 'cancelled';
  durationMs: number;
}

export type EngineEvent =
  | ExecutionStartedEvent
  | NodeStartedEvent
  | NodeLogEvent
  | NodeProgressEvent
  | CircuitOpenedEvent
  | CircuitClosedEvent
  | NodeRetryingEvent
  | NodeCompletedEvent
  | NodeFailedEvent
  | NodeSkippedEvent
  | NodeCancelledEvent
  | ExecutionCompletedEvent
  | ExecutionFailedEvent
  | ExecutionCancelledEvent;
