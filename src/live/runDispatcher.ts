// Where a live server's runs execute. A webhook, a schedule, a resume and the run API all hand a run to one
// dispatcher and never care where it runs: in this process (LiveRuns, the default that needs nothing installed)
// or on workers through a queue (queue mode, spec section 15). The live server picks one at start.
//
// The promises say what a caller may promise its own client:
// - `accepted` (firstCheckpoint) resolves once the run will happen even if this process dies now: its first
//   record is in history (in process) or its job is in Redis (queue mode). A webhook answers 202 only then.
// - `done` resolves with the final record, whichever process ran it.

import type { CompiledFlow } from '../engine/model/compiledFlow';
import type { NodeRegistry } from '../engine/nodes/registry';
import type { EngineEvent } from '../engine/run/events';
import type { RunRecord, TriggerInfo } from '../engine/run/runRecord';

export interface StartRunOptions {
  /** The id the run gets. Default: a new one. (A run held in a backlog is told its id before it starts.) */
  executionId?: string;
  input?: unknown;
  trigger: TriggerInfo;
  secrets: Record<string, string>;
  resumeFrom?: RunRecord;
  /** With resumeFrom: run again from this node, reusing only what is not downstream of it. */
  rerunFrom?: string;
  registry?: NodeRegistry;
  onEvent?: (event: EngineEvent) => void;
  /**
   * Write the first checkpoint before any node runs (no coalescing): `firstCheckpoint` then means the run will
   * really happen, and when it cannot be written the run does not start (`done` rejects, nothing ran).
   */
  durableStart?: boolean;
  /** Input properties the record keeps masked: a GET webhook's credential-like query parameters (recordedQuery.ts). */
  maskInputKeys?: readonly string[];
}

export interface LiveRun {
  executionId: string;
  flowId: string;
  /** Resolves once the run is durably accepted (see the file comment); rejects if it could not be, or did not start. */
  firstCheckpoint: Promise<void>;
  /** The final record; rejects only when the run could not start (invalid input). */
  done: Promise<RunRecord>;
}

/** What `cancel` found. */
export type CancelOutcome = 'cancelled' | 'not-found' | 'ended';

export interface RunDispatcher {
  /** Runs in flight (in queue mode: those this process is waiting on). */
  readonly size: number;
  ids(): string[];
  start(flow: CompiledFlow, options: StartRunOptions): LiveRun;
  /** Cancels one run in flight, wherever it runs. */
  cancel(executionId: string, reason?: string): Promise<CancelOutcome>;
  /** Resolves true once no run is in flight, or false after `timeoutMs`. */
  settle(timeoutMs: number): Promise<boolean>;
  cancelAll(): Promise<void>;
  /** Saves every run in flight as `interrupted` for the next start to resume; returns their ids. */
  suspendAll(reason: string): Promise<string[]>;
}
