// Progress leaves the engine through one typed event stream (spec section 11). The timeline, the history store
// and the CLI subscribe; the engine calls none of them by name. `seq` rises by one per run, from 1.

import type { SerializedError } from '../errors';
import type { LogLevel } from '../nodes/nodeType';
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
  reason: 'dead-path' | 'disabled';
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
  | NodeRetryingEvent
  | NodeCompletedEvent
  | NodeFailedEvent
  | NodeSkippedEvent
  | NodeCancelledEvent
  | ExecutionCompletedEvent
  | ExecutionFailedEvent
  | ExecutionCancelledEvent;
