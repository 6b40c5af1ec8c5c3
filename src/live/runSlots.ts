// Bounded concurrency and a bounded backlog for the runs of a server without a queue (spec section 14, issue 11):
// at most `concurrency` runs execute at once; further runs wait in a backlog of at most `backlog` runs, started
// oldest first as slots free up; past that a new request is refused (503 with Retry-After) instead of taking
// memory without bound. A RunDispatcher around another one, so nothing else changes.
//
// Admission is separate from start: a request handler asks `admit()` and, if admitted, calls `start` in the same
// synchronous turn, so the bound is exact. Runs the server starts on its own (schedules, resumes at start) are
// never refused: they join the backlog even past its bound, which their number (schedules, interrupted runs) bounds.
//
// A run in the backlog has its id at once but has not started: nothing of it is in history yet. Its
// `firstCheckpoint` resolves only once it started and its first record is durable, so a webhook's 202 keeps
// meaning "this run will happen". A run in a `wait` holds its slot: it is in memory, running.

import { WeftError } from '../engine/errors';
import { deferred } from '../engine/history/deferred';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import { newExecutionId } from '../engine/run/executeFlow';
import type { RunRecord } from '../engine/run/runRecord';
import type { CancelOutcome, LiveRun, RunDispatcher, StartRunOptions } from './runDispatcher';

/** Runs that execute at once: runs in one process mostly wait on I/O (HTTP, models, waits), so more than the cores. */
export const DEFAULT_CONCURRENCY = 64;
/** Runs waiting for a slot before new requests are refused. */
export const DEFAULT_BACKLOG = 256;
export const BUSY_RETRY_AFTER_SECONDS = 1;

export type RunAdmission = { ok: true } | { ok: false; retryAfterSeconds: number; message: string };

export interface RunSlotsOptions {
  /** At least 1. Default 64. */
  concurrency?: number;
  /** At least 0. Default 256. */
  backlog?: number;
}

export interface RunSlotsStatus {
  concurrency: number;
  backlog: number;
  running: number;
  queued: number;
}

interface Queued {
  executionId: string;
  flow: CompiledFlow;
  options: StartRunOptions;
  firstCheckpoint: ReturnType<typeof deferred>;
  done: { promise: Promise<RunRecord>; resolve: (record: RunRecord) => void; reject: (error: unknown) => void };
}

export class RunSlots implements RunDispatcher {
  readonly concurrency: number;
  readonly backlog: number;
  private readonly queue: Queued[] = [];
  private running = 0;

  constructor(
    private readonly inner: RunDispatcher,
    options: RunSlotsOptions = {},
  ) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
    this.backlog = Math.max(0, Math.floor(options.backlog ?? DEFAULT_BACKLOG));
  }

  get size(): number {
    return this.inner.size + this.queue.length;
  }

  ids(): string[] {
    return [...this.inner.ids(), ...this.queue.map((queued) => queued.executionId)];
  }

  status(): RunSlotsStatus {
    return { concurrency: this.concurrency, backlog: this.backlog, running: this.running, queued: this.queue.length };
  }

  /** Whether a request may start a run now; if so, `start` must follow in the same synchronous turn. */
  admit(): RunAdmission {
    if (this.running < this.concurrency || this.queue.length < this.backlog) return { ok: true };
    return {
      ok: false,
      retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
      message: `The server runs ${this.running} runs and has ${this.queue.length} waiting, its limit (--concurrency ${this.concurrency}, --backlog ${this.backlog}); nothing ran. Try again shortly.`,
    };
  }

  start(flow: CompiledFlow, options: StartRunOptions): LiveRun {
    if (this.running < this.concurrency) return this.startNow(flow, options);
    const executionId = options.executionId ?? newExecutionId();
    const done = resultDeferred();
    const queued: Queued = { executionId, flow, options: { ...options, executionId }, firstCheckpoint: deferred(), done };
    this.queue.push(queued);
    return { executionId, flowId: flow.id, firstCheckpoint: queued.firstCheckpoint.promise, done: done.promise };
  }

  async cancel(executionId: string, reason?: string): Promise<CancelOutcome> {
    const index = this.queue.findIndex((queued) => queued.executionId === executionId);
    if (index === -1) return this.inner.cancel(executionId, reason);
    // Started past the limit only to be cancelled at once: the run gets its `cancelled` record like any other.
    const [queued] = this.queue.splice(index, 1);
    this.forward(queued, this.startNow(queued.flow, queued.options));
    return this.inner.cancel(executionId, reason);
  }

  async settle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.inner.settle(left))) return this.size === 0;
      // The inner runs ended; the backlog's next ones start on the same turn (see startNow), or none are left.
      if (this.inner.size === 0 && this.queue.length > 0) return false;
    }
    return true;
  }

  async cancelAll(): Promise<void> {
    this.dropQueued('The live server stopped before the run started.');
    await this.inner.cancelAll();
  }

  async suspendAll(reason: string): Promise<string[]> {
    this.dropQueued(`${reason} (it was waiting for a slot and had not started)`);
    return this.inner.suspendAll(reason);
  }

  private startNow(flow: CompiledFlow, options: StartRunOptions): LiveRun {
    this.running++;
    const run = this.inner.start(flow, options);
    const free = (): void => {
      this.running--;
      this.pump();
    };
    run.done.then(free, free);
    return run;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const queued = this.queue.shift()!;
      this.forward(queued, this.startNow(queued.flow, queued.options));
    }
  }

  private forward(queued: Queued, run: LiveRun): void {
    run.firstCheckpoint.then(queued.firstCheckpoint.resolve, queued.firstCheckpoint.reject);
    run.done.then(queued.done.resolve, queued.done.reject);
  }

  /** Runs of the backlog that will not start now: nothing of them was recorded, so whoever waits is told so. */
  private dropQueued(reason: string): void {
    const dropped = this.queue.splice(0);
    for (const queued of dropped) {
      const error = new WeftError('cancelled', reason, { kind: 'operational' });
      queued.firstCheckpoint.reject(error);
      queued.done.reject(error);
    }
  }
}

function resultDeferred(): Queued['done'] {
  let resolve!: (record: RunRecord) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<RunRecord>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
