// Queue mode's RunDispatcher (spec section 15): a `serve --queue` runs nothing itself. `start` adds a BullMQ job
// whose id is the execution id; `firstCheckpoint` resolves once Redis has it (the moment an `ack` webhook may
// answer 202: the run then happens whatever becomes of this process), and rejects with `queue-unavailable` when
// Redis cannot take it (the webhook answers 503 with Retry-After). `done` resolves with the final record once the
// relay has put it in this serve's history, whichever worker ran it.
//
// Cancel: a job still waiting is removed and recorded `cancelled` here; a running one is cancelled on its worker
// (a pub/sub message every worker hears, and a key for a worker that picks it up a moment later).
// What a start does not carry to the worker: secrets (a worker reads its own, from its environment: they never
// pass through Redis) and `onEvent` (the relay publishes every run's events to the serve's event hub instead).
// Stopping a serve stops nothing: the runs live on in Redis, so settle waits only for the `result` requests this
// serve still answers, and there is nothing to suspend or cancel.

import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { WeftError } from '../engine/errors';
import type { HistoryStore } from '../engine/history/historyStore';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import { newExecutionId } from '../engine/run/executeFlow';
import type { RunRecord } from '../engine/run/runRecord';
import type { CancelOutcome, LiveRun, RunDispatcher, StartRunOptions } from '../live/runDispatcher';
import { CANCEL_CHANNEL, cancelKey } from './queueKeys';
import type { RecordRelay } from './recordRelay';
import { RUN_JOB_OPTIONS, type RunJobData } from './runJob';

const CANCEL_KEY_TTL_SECONDS = 3600;
/** How long cancel waits for a running run's cancelled record to come back from its worker. */
const CANCEL_WAIT_MS = 10_000;

export interface QueueDispatcherOptions {
  queue: Queue<RunJobData>;
  /** A fail-fast connection (the producer's) for the cancel message. */
  redis: Redis;
  relay: RecordRelay;
  history: HistoryStore;
  /** `.flow.json` source texts by flow hash: what a job carries so any worker runs that very version. */
  sources: ReadonlyMap<string, string>;
  onEnqueue(error: unknown): void;
}

interface Waiting {
  flow: CompiledFlow;
  data: RunJobData;
  /** A `result` request (not durableStart): settle gives it time to be answered. */
  answered: boolean;
  done: Promise<RunRecord>;
  resolve(record: RunRecord): void;
}

export class QueueDispatcher implements RunDispatcher {
  private readonly runs = new Map<string, Waiting>();

  constructor(private readonly options: QueueDispatcherOptions) {}

  get size(): number {
    return this.runs.size;
  }

  ids(): string[] {
    return [...this.runs.keys()];
  }

  start(flow: CompiledFlow, options: StartRunOptions): LiveRun {
    const executionId = newExecutionId();
    const source = this.options.sources.get(flow.hash);
    const data: RunJobData = {
      executionId,
      flowId: flow.id,
      flowHash: flow.hash,
      ...(flow.file ? { flowFile: flow.file } : {}),
      ...(source !== undefined ? { source } : {}),
      input: options.input,
      trigger: options.trigger,
      ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
      ...(options.rerunFrom ? { rerunFrom: options.rerunFrom } : {}),
      ...(options.maskInputKeys?.length ? { maskInputKeys: options.maskInputKeys } : {}),
    };
    let resolve!: (record: RunRecord) => void;
    const done = new Promise<RunRecord>((res) => (resolve = res));
    const waiting: Waiting = { flow, data, answered: options.durableStart !== true, done, resolve };
    // Registered before the job exists: a fast worker may finish it before Redis has even answered the add.
    this.runs.set(executionId, waiting);
    this.options.relay.waitFor(executionId, (record) => {
      this.runs.delete(executionId);
      resolve(record);
    });
    const firstCheckpoint = this.options.queue.add('run', data, { ...RUN_JOB_OPTIONS, jobId: executionId }).then(
      () => this.options.onEnqueue(undefined),
      (error: unknown) => {
        this.options.onEnqueue(error);
        this.runs.delete(executionId);
        this.options.relay.forget(executionId);
        throw new WeftError('queue-unavailable', `Redis could not take the run: ${(error as Error).message}`, { cause: error });
      },
    );
    firstCheckpoint.catch(() => undefined);
    const started = firstCheckpoint.then(() => done);
    started.catch(() => undefined);
    return { executionId, flowId: flow.id, firstCheckpoint, done: started };
  }

  async cancel(executionId: string, reason = 'Cancelled.'): Promise<CancelOutcome> {
    const job = await this.options.queue.getJob(executionId);
    if (!job) return (await this.options.history.get(executionId).catch(() => undefined)) ? 'ended' : 'not-found';
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return 'ended';
    if (state !== 'active') {
      try {
        await job.remove();
        const record = cancelledRecord(executionId, job.data, reason, this.runs.get(executionId)?.flow);
        await this.options.history.save(record);
        const waiting = this.runs.get(executionId);
        this.runs.delete(executionId);
        this.options.relay.forget(executionId);
        waiting?.resolve(record);
        return 'cancelled';
      } catch {
        // It became active meanwhile: cancel it on its worker.
      }
    }
    await this.options.redis.multi().set(cancelKey(executionId), reason, 'EX', CANCEL_KEY_TTL_SECONDS).publish(CANCEL_CHANNEL, executionId).exec();
    const waiting = this.runs.get(executionId);
    if (waiting) await Promise.race([waiting.done, new Promise((resolve) => setTimeout(resolve, CANCEL_WAIT_MS).unref())]);
    return 'cancelled';
  }

  /** Waits for the `result` requests this serve answers; runs only acknowledged live on in Redis. */
  async settle(timeoutMs: number): Promise<boolean> {
    const answered = [...this.runs.values()].filter((run) => run.answered).map((run) => run.done);
    if (answered.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([Promise.all(answered).then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Nothing runs here: the runs go on on the workers. */
  async cancelAll(): Promise<void> {}

  async suspendAll(): Promise<string[]> {
    return [];
  }
}

/** The record of a run cancelled before any worker took it. */
function cancelledRecord(executionId: string, data: RunJobData, reason: string, flow: CompiledFlow | undefined): RunRecord {
  const now = new Date().toISOString();
  const nodes: RunRecord['nodes'] = {};
  for (const node of flow?.graph.nodes ?? []) nodes[node.id] = { status: 'pending', attempts: 0 };
  return {
    id: executionId,
    flowId: data.flowId,
    ...(data.flowFile ? { flowFile: data.flowFile } : {}),
    flowHash: data.flowHash,
    status: 'cancelled',
    mode: 'run',
    trigger: data.trigger,
    input: data.input,
    error: { name: 'WeftError', code: 'cancelled', message: reason },
    startedAt: now,
    finishedAt: now,
    durationMs: 0,
    nodes,
  };
}
