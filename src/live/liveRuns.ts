// The runs a live server has in flight: it starts them (through runFlow), knows when each one's first checkpoint
// is durable (the moment a webhook may answer 202: an accepted request is then never lost), and on shutdown
// either cancels them or suspends them for the next start to resume.
//
// How it sees checkpoints: runFlow writes through the HistoryStore it is given, so it is given this store seen
// through a Proxy whose `save` reports, per run, when the first save resolves, and drops the saves of a run once it
// is suspended (so the engine, winding down, cannot overwrite the `interrupted` record with `cancelled`). Every
// other property is the store's own. runFlow recognizes the proxy as a HistoryStore (`instanceof` follows the
// target's prototype), uses it as it is and leaves flushing to its owner.

import { runFlow } from '../api/runFlow';
import { WeftError } from '../engine/errors';
import type { HistoryStore } from '../engine/history/historyStore';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import { newExecutionId } from '../engine/run/executeFlow';
import type { RunRecord } from '../engine/run/runRecord';
import { deferred } from '../engine/history/deferred';
import type { CancelOutcome, LiveRun, RunDispatcher, StartRunOptions } from './runDispatcher';

export type { LiveRun, StartRunOptions } from './runDispatcher';

export interface LiveRunsOptions {
  /** Told of every history write of a run of ours: `error` undefined when it succeeded. */
  onWrite?: (record: RunRecord, error: unknown) => void;
}

interface Entry extends LiveRun {
  controller: AbortController;
  /** The record object the engine checkpoints (the same object all along), once it has saved once. */
  record: RunRecord | undefined;
  /** The first write, while it waits for the end of the event-loop turn (see save); then undefined. */
  firstWrite: Promise<void> | undefined;
  /** Whether the first write has gone to the store. */
  firstWritten: boolean;
  resolveFirst: () => void;
  rejectFirst: (error: unknown) => void;
  suspended: boolean;
  durableStart: boolean;
}

const RESOLVED = Promise.resolve();
const NOT_STARTED: Promise<RunRecord> = new Promise<RunRecord>(() => undefined);

export class LiveRuns implements RunDispatcher {
  /** The store as runFlow must see it (see the file comment). */
  readonly history: HistoryStore;
  private readonly runs = new Map<string, Entry>();

  constructor(
    private readonly store: HistoryStore,
    private readonly options: LiveRunsOptions = {},
  ) {
    const save = (record: RunRecord): Promise<void> => this.save(record);
    this.history = new Proxy(store, {
      get(target, property) {
        if (property === 'save') return save;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Runs in flight. */
  get size(): number {
    return this.runs.size;
  }

  ids(): string[] {
    return [...this.runs.keys()];
  }

  start(flow: CompiledFlow, options: StartRunOptions): LiveRun {
    const executionId = options.executionId ?? newExecutionId();
    const controller = new AbortController();
    // deferred() marks the promise handled: callers that do not wait for it (schedules, resumes) leave no
    // unhandled rejection behind.
    const { promise: firstCheckpoint, resolve: resolveFirst, reject: rejectFirst } = deferred();
    const entry: Entry = {
      executionId,
      flowId: flow.id,
      firstCheckpoint,
      done: NOT_STARTED, // set just below: the entry must be registered before runFlow can checkpoint
      controller,
      record: undefined,
      firstWrite: undefined,
      firstWritten: false,
      resolveFirst,
      rejectFirst,
      suspended: false,
      durableStart: options.durableStart === true,
    };
    this.runs.set(executionId, entry);
    entry.done = runFlow(flow, {
      input: options.input,
      trigger: options.trigger,
      executionId,
      secrets: options.secrets,
      history: this.history,
      resumeFrom: options.resumeFrom,
      rerunFrom: options.rerunFrom,
      registry: options.registry,
      signal: controller.signal,
      onEvent: options.onEvent,
      durableStart: options.durableStart,
      maskInputKeys: options.maskInputKeys,
    });
    entry.done.then(
      () => this.runs.delete(executionId),
      (error: unknown) => {
        this.runs.delete(executionId);
        rejectFirst(error);
      },
    );
    return entry;
  }

  async cancel(executionId: string, reason = 'Cancelled.'): Promise<CancelOutcome> {
    const run = this.runs.get(executionId);
    if (run === undefined) return (await this.store.get(executionId).catch(() => undefined)) ? 'ended' : 'not-found';
    run.controller.abort(new WeftError('cancelled', reason));
    await run.done.catch(() => undefined);
    return 'cancelled';
  }

  /** Resolves true once no run is in flight, or false after `timeoutMs`. */
  async settle(timeoutMs: number): Promise<boolean> {
    if (this.runs.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const all = Promise.allSettled([...this.runs.values()].map((run) => run.done)).then(() => this.settle(timeoutMs));
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Cancels every run in flight: each ends `cancelled`, its final record saved. */
  async cancelAll(): Promise<void> {
    const runs = [...this.runs.values()];
    for (const run of runs) run.controller.abort(new WeftError('cancelled', 'The live server stopped.'));
    await Promise.allSettled(runs.map((run) => run.done));
  }

  /**
   * Suspends every run in flight: its record is saved as `interrupted` (as a crash would leave it, once found),
   * its later checkpoints are dropped, and it is stopped. The next start resumes it from its last checkpoint; a
   * `wait` resumes at its saved due time.
   */
  async suspendAll(reason: string): Promise<string[]> {
    const suspended: string[] = [];
    const writes: Promise<void>[] = [];
    for (const run of this.runs.values()) {
      if (!run.record || run.suspended) continue;
      run.suspended = true;
      const copy = snapshot(run.record);
      copy.status = 'interrupted';
      copy.error = { name: 'WeftError', code: 'interrupted', message: reason };
      const write = this.write(copy);
      // The request that started it is answered: its run is in history, and the next start resumes it.
      write.then(run.resolveFirst, run.rejectFirst);
      writes.push(write);
      suspended.push(run.executionId);
    }
    // The copies are queued (newest wins per run) before any abort can make the engine save again.
    for (const run of this.runs.values()) run.controller.abort(new WeftError('cancelled', reason));
    await Promise.allSettled([...writes, ...[...this.runs.values()].map((run) => run.done)]);
    return suspended;
  }

  /**
   * The engine's checkpoints of a run. The first one is held until the end of the current event-loop turn, and
   * every checkpoint made meanwhile joins it: a short run (most webhook runs) has ended by then, so it costs one
   * write instead of two (its start and its end), and the disk is what limits a busy server. The held promise
   * settles when that one write, of the newest state, is durable, as the store's own coalescing promises.
   */
  private save(record: RunRecord): Promise<void> {
    const run = this.runs.get(record.id);
    // Not a run of ours (a subflow's child run): saved as it is.
    if (run === undefined) return this.store.save(record);
    if (run.suspended) return RESOLVED;
    run.record = record;
    if (run.firstWritten) return this.write(record);
    if (run.durableStart) {
      run.firstWritten = true;
      const saved = this.write(record);
      saved.then(run.resolveFirst, run.rejectFirst);
      return saved;
    }
    if (run.firstWrite === undefined) {
      run.firstWrite = new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          run.firstWritten = true;
          run.firstWrite = undefined;
          if (run.suspended || run.record === undefined) {
            resolve();
            return;
          }
          const saved = this.write(run.record);
          saved.then(run.resolveFirst, run.rejectFirst);
          saved.then(resolve, reject);
        });
      });
      run.firstWrite.catch(() => undefined);
    }
    return run.firstWrite;
  }

  /** A write to the store, reported to `onWrite`. */
  private write(record: RunRecord): Promise<void> {
    const saved = this.store.save(record);
    const onWrite = this.options.onWrite;
    if (onWrite) {
      saved.then(
        () => onWrite(record, undefined),
        (error: unknown) => onWrite(record, error ?? new Error('The history write failed.')),
      );
    }
    return saved;
  }
}

/** A deep copy of a record as it is now (the engine goes on changing the original). */
function snapshot(record: RunRecord): RunRecord {
  try {
    return structuredClone(record);
  } catch {
    // A value structuredClone refuses (a function from a .flow.ts code node): what JSON keeps is what history keeps.
    return JSON.parse(JSON.stringify(record)) as RunRecord;
  }
}
