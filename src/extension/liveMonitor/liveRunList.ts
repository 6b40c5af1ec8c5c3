// The runs the Live Runs view lists: one summary per run, folded from the stream's events as they arrive (a run
// first seen mid-way gets what its events tell), or replaced by the run API's list after a `stream.reset`. Newest
// first; at most `limit` runs are kept, the oldest ended ones dropped first (docs/decisions.md), so a busy server
// never grows the editor's memory.
//
// No `vscode` here: tested on its own.

import type { RunStatus } from '../../engine/run/runRecord';
import type { RunSummary } from '../../engine/history/runSummary';
import type { StreamEvent } from './liveEventClient';

export const LIVE_RUNS_KEPT = 50;

export interface LiveRunItem {
  executionId: string;
  flowId: string;
  /** `webhook`, `schedule`, `manual`, `api`…; `unknown` for a run first seen after its start. */
  triggerType: string;
  status: RunStatus;
  /** Epoch ms. */
  startedAt: number;
  durationMs?: number;
  /** The failure's message, for the tooltip. */
  error?: string;
}

export class LiveRunList {
  private readonly runs = new Map<string, LiveRunItem>();

  constructor(private readonly limit = LIVE_RUNS_KEPT) {}

  /** Newest first. */
  list(): LiveRunItem[] {
    return [...this.runs.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  get(executionId: string): LiveRunItem | undefined {
    return this.runs.get(executionId);
  }

  /** Folds one event in; returns the run it changed (undefined when it changed nothing the list shows). */
  apply(event: StreamEvent): LiveRunItem | undefined {
    let run = this.runs.get(event.executionId);
    if (event.type === 'execution.started') {
      run = {
        executionId: event.executionId,
        flowId: event.flowId,
        triggerType: event.trigger.type,
        status: 'running',
        startedAt: Date.parse(event.ts),
      };
      this.runs.set(run.executionId, run);
      this.trim();
      return run;
    }
    const firstSeen = !run;
    if (!run) {
      run = { executionId: event.executionId, flowId: event.flowId ?? '?', triggerType: 'unknown', status: 'running', startedAt: Date.parse(event.ts) };
      this.runs.set(run.executionId, run);
      this.trim();
    }
    if (event.type === 'execution.completed' || event.type === 'execution.failed' || event.type === 'execution.cancelled') {
      run.status = event.status;
      run.durationMs = event.durationMs;
      if (event.type === 'execution.failed') run.error = event.error.message;
      return run;
    }
    return firstSeen ? run : undefined;
  }

  /**
   * Takes the run API's list as the truth (on connecting, and after a reset). A run it does not hold but that
   * started after its newest one came from the stream while the list was on its way: it stays.
   */
  replace(summaries: readonly RunSummary[]): void {
    const newestListed = Math.max(-Infinity, ...summaries.map((summary) => Date.parse(summary.startedAt)));
    const arrivedMeanwhile = [...this.runs.values()].filter((run) => run.startedAt > newestListed && !summaries.some((s) => s.id === run.executionId));
    this.runs.clear();
    for (const summary of summaries) this.update(summary);
    for (const run of arrivedMeanwhile) this.runs.set(run.executionId, run);
    this.trim();
  }

  clear(): void {
    this.runs.clear();
  }

  /** One run as the run API or a record says it is now. */
  update(summary: Pick<RunSummary, 'id' | 'flowId' | 'status' | 'triggerType' | 'startedAt' | 'durationMs' | 'error'>): LiveRunItem {
    const run: LiveRunItem = {
      executionId: summary.id,
      flowId: summary.flowId,
      triggerType: summary.triggerType,
      status: summary.status,
      startedAt: Date.parse(summary.startedAt),
    };
    if (summary.durationMs !== undefined) run.durationMs = summary.durationMs;
    if (summary.error !== undefined) run.error = summary.error;
    this.runs.set(run.executionId, run);
    return run;
  }

  /** Drops the oldest ended runs beyond the limit; running ones go only when nothing else is left to drop. */
  private trim(): void {
    if (this.runs.size <= this.limit) return;
    const oldestFirst = [...this.runs.values()].sort((a, b) => a.startedAt - b.startedAt);
    for (const run of oldestFirst) {
      if (this.runs.size <= this.limit) return;
      if (run.status !== 'running') this.runs.delete(run.executionId);
    }
    for (const run of oldestFirst) {
      if (this.runs.size <= this.limit) return;
      this.runs.delete(run.executionId);
    }
  }
}
