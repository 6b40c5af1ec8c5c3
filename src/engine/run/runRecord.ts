// The run record (spec section 11): what history stores and `weft run --json` prints. Times are ISO strings.

import type { SerializedError } from '../errors';
import type { LogLevel } from '../nodes/nodeType';

export type NodeStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export type RunMode = 'run' | 'test';

export interface LogEntry {
  ts: string;
  level: LogLevel;
  message: string;
}

export interface NodeRecord {
  status: NodeStatus;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  input?: unknown;
  output?: unknown;
  error?: SerializedError;
  errorHandled?: boolean;
  /** The node did not run because it is disabled. */
  disabled?: boolean;
  /** The output was taken from the run this one resumes, not computed again. */
  reused?: boolean;
  logs?: LogEntry[];
  /**
   * Output ports that fired (completed, or failed with the error handled), when not just `out`: absent on a
   * completed node means `out`. A resumed run reuses the node's decision from it.
   */
  ports?: string[];
  /** What the node's model calls used (an `ai` node's one call; a loop node sums its body's calls). */
  usage?: NodeUsage;
  /** Loop nodes: how many iterations ran (so far, while it runs; all of them once it completed). */
  iterations?: number;
  /** Node-private state kept across a restart (a wait's due time). */
  state?: unknown;
}

/** Spec section 11: `{ model, inputTokens, outputTokens, costUsd? }`. */
export interface NodeUsage {
  /** The model that answered; several calls of different models list each once, comma-separated. */
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Estimated from a built-in price table; absent when no call's model has a known price. */
  costUsd?: number;
  /** How many calls are summed here, when more than one could be (a loop node's body); absent means one. */
  calls?: number;
}

export interface TriggerInfo {
  type: string;
  [key: string]: unknown;
}

export interface RunRecord {
  id: string;
  flowId: string;
  flowFile?: string;
  flowHash: string;
  status: RunStatus;
  mode: RunMode;
  trigger: TriggerInfo;
  input: unknown;
  output?: unknown;
  error?: SerializedError;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  resumedFrom?: string;
  /** Re-run from this node: nodes not downstream of it were reused. */
  rerunFrom?: string;
  parentExecutionId?: string;
  /** The process that runs it, so another process can tell a dead run from a live one (history/ownerLease.ts). */
  owner?: { pid: number; host: string; instance?: string };
  /** Fields cut to the history size limit, as JSON paths like "nodes.fetch.output". */
  truncated?: string[];
  nodes: Record<string, NodeRecord>;
}

export function isTerminal(status: RunStatus): boolean {
  return status !== 'running';
}
