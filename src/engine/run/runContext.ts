// What every graph run of one execution shares: identity, the event stream, the record, the run's abort
// signal, mocks and services. The top-level graph and each loop iteration are graph runs of one execution.

import type { ExecutionInfo } from '../expr/scope';
import type { MockDefinition } from '../model/flowSchema';
import type { CompiledFlow } from '../model/compiledFlow';
import type { NodeServices } from '../nodes/nodeType';
import type { DebugAttachment } from './debugGate';
import type { EngineEvent } from './events';
import type { LogBudget } from './logBudget';
import type { Redactor } from './redact';
import type { NodeRecord, RunMode, RunRecord } from './runRecord';

/**
 * An event before the emitter stamps it with executionId, seq and ts. A draft may bring its own `ts`: the time
 * the record was given for the same change, so the record and the events tell the same times.
 */
export type EventDraft = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, 'executionId' | 'seq' | 'ts'> & { ts?: string } : never) : never;

export interface RunContext {
  readonly flow: CompiledFlow;
  readonly executionId: string;
  readonly mode: RunMode;
  readonly record: RunRecord;
  readonly execution: ExecutionInfo;
  readonly trigger: unknown;
  readonly variables: Record<string, unknown>;
  readonly secrets: Record<string, string>;
  readonly redactor: Redactor;
  /** How much more of its logs the run may keep (per node and in all). */
  readonly logBudget: LogBudget;
  /** Aborts on cancel, on the whole-run timeout and on an unhandled failure. */
  readonly signal: AbortSignal;
  readonly mocks: Record<string, MockDefinition>;
  /** Services without `runGraph`, which each node context binds to its own graph run. */
  readonly services: Omit<NodeServices, 'runGraph'>;
  /** Outputs reused from the run this one resumes, by node id. */
  readonly reuse: ReadonlyMap<string, NodeRecord>;
  /** Node state saved by the run this one resumes (a wait's due time), by node id. */
  readonly savedStates: ReadonlyMap<string, unknown>;
  /** Set while a debugger is attached: asked before each node starts (debugGate.ts). */
  readonly debug?: DebugAttachment;
  emit(event: EventDraft): void;
  /** The record changed at a node boundary: persist it (coalesced by the sink). Resolves once durable. */
  checkpoint(): Promise<void>;
  now(): string;
}
