// `weft worker` (spec section 15): runs the runs that `serve --queue` processes enqueue, `concurrency` at a time,
// on BullMQ. Any number of workers, on any machine that has the flows.
//
// Which version runs: a job carries the hash of the flow version it was started with. Hash equal to the worker's
// own file: run it. A `.flow.json` whose hash differs: the job carries that version's source, which is compiled
// and run (the record keeps its hash). A `.flow.ts` whose hash differs (or a flow this worker does not have): the
// worker refuses with a log line and hands the job back, delayed, for another worker; after `maxRefusals`
// refusals the job fails with `flow-version-mismatch` and lands in the dead letter. A worker never runs a run with
// a definition other than the one it was started with.
//
// Checkpoints and resume: runFlow checkpoints through RunCheckpoints into Redis. A job started before (another
// worker died with it: BullMQ found it stalled once its lock expired; or a worker handed it back while stopping)
// is resumed from its checkpoint with the same execution id: completed nodes are reused, the node that was in
// flight runs again (at-least-once). A job whose checkpoint is already final is not run again. The engine does not
// wait for a checkpoint before starting the next node, so a node with side effects (its type says `sideEffect`:
// http, ai, ...) waits here, before it runs, until every checkpoint made so far is in Redis: a completed node
// can then never be lost behind a side effect that happened after it (gateSideEffects). Pure nodes do not wait.
//
// Stopping (close): take nothing new; runs in flight get `graceMs` to end; the rest are handed back to the queue
// (their checkpoints stay, their later saves are dropped) for another worker to resume.

import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { loadFlow } from '../api/loadFlow';
import { runFlow, secretsFromEnvironment } from '../api/runFlow';
import { WeftError, serializeError } from '../engine/errors';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import { hasErrors } from '../engine/model/diagnostics';
import type { NodeRegistry } from '../engine/nodes/registry';
import { isTerminal, type RunRecord } from '../engine/run/runRecord';
import { activateFlows, type Activation } from '../live/activateFlows';
import { connected, durableConnection, parseRedisUrl, shownRedisUrl } from './queueConnection';
import { CANCEL_CHANNEL, QUEUE_NAME, QUEUE_PREFIX, runKey, workerKey } from './queueKeys';
import { RedisCircuitStore } from './redisCircuitStore';
import { RunCheckpoints } from './runCheckpoints';
import { scheduledExecutionId, type RunJobData } from './runJob';

export const DEFAULT_CONCURRENCY = 5;
/** BullMQ's defaults, stated: a job whose worker stopped renewing its lock is found stalled within ~lock + interval. */
export const DEFAULT_LOCK_MS = 30_000;
export const DEFAULT_STALLED_INTERVAL_MS = 30_000;
/** A job may stall this many times (its worker died) before it fails: each stall resumes from the checkpoint. */
export const MAX_STALLED_COUNT = 3;
export const DEFAULT_WORKER_GRACE_MS = 10_000;
export const DEFAULT_REFUSAL_DELAY_MS = 2_000;
export const DEFAULT_MAX_REFUSALS = 10;
export const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TTL_SECONDS = 15;
/** Compiled carried definitions kept, by hash. */
const CARRIED_KEPT = 50;
/** How long a cancel for a run not (yet) here is remembered: it may arrive just before the job does. */
const EARLY_CANCEL_MS = 60_000;

export interface QueueWorkerOptions {
  /** The flows this worker has: directories and files, as `weft serve` takes them. */
  paths: readonly string[];
  url: string;
  concurrency?: number;
  lockMs?: number;
  stalledIntervalMs?: number;
  refusalDelayMs?: number;
  maxRefusals?: number;
  registry?: NodeRegistry;
  secrets?: Record<string, string | undefined>;
  onLog?: (entry: WorkerLogEntry) => void;
  /** Flows already activated (the CLI activates first to print problems). */
  activation?: Activation;
}

export interface WorkerLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  executionId?: string;
  flowId?: string;
}

export interface WorkerHeartbeat {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  activeRuns: number;
  startedAt: string;
  lastHeartbeat: string;
}

export interface QueueWorker {
  readonly id: string;
  readonly activation: Activation;
  activeRuns(): number;
  /** Round trips this worker's checkpoints made (one pipeline each). */
  checkpointRoundTrips(): number;
  close(graceMs?: number): Promise<{ handedBack: string[] }>;
}

interface ActiveRun {
  controller: AbortController;
  handedBack: boolean;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const target = parseRedisUrl(options.url);
  const shown = shownRedisUrl(options.url);
  const log = (entry: WorkerLogEntry): void => {
    try {
      options.onLog?.(entry);
    } catch {
      // A logger's failure is not the worker's.
    }
  };
  const activation = options.activation ?? activateFlows(options.paths, { secrets: options.secrets, registry: options.registry });
  const ownFlows = new Map<string, CompiledFlow>();
  for (const flow of activation.compiled.values()) ownFlows.set(flow.id, flow);
  // Set once the checkpoints exist (below); the flows' nodes call it only while a run runs.
  let durable: () => Promise<void> = () => Promise.resolve();
  for (const flow of ownFlows.values()) gateSideEffects(flow, () => durable());
  const carried = new Map<string, CompiledFlow>();
  const secretSource = options.secrets ?? process.env;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const refusalDelayMs = options.refusalDelayMs ?? DEFAULT_REFUSAL_DELAY_MS;
  const maxRefusals = options.maxRefusals ?? DEFAULT_MAX_REFUSALS;
  const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`;
  const startedAt = new Date().toISOString();

  const redis = durableConnection(target, 'weft-worker');
  const subscriber = durableConnection(target, 'weft-worker-cancel');
  await Promise.all([connected(redis, 30_000, shown), connected(subscriber, 30_000, shown)]);
  const checkpoints = new RunCheckpoints(redis);
  // Every worker of the queue shares the circuit breakers of its ai and http targets (spec section 7).
  const circuits = new RedisCircuitStore(redis);
  durable = () => checkpoints.flush().catch(() => undefined);
  const active = new Map<string, ActiveRun>();
  const earlyCancels = new Map<string, number>();

  await subscriber.subscribe(CANCEL_CHANNEL);
  subscriber.on('message', (_channel: string, executionId: string) => {
    const run = active.get(executionId);
    if (run) {
      log({ level: 'info', executionId, message: `Run ${executionId} cancelled by request.` });
      run.controller.abort(new WeftError('cancelled', 'The run was cancelled.'));
      return;
    }
    const now = Date.now();
    for (const [id, at] of earlyCancels) if (now - at > EARLY_CANCEL_MS) earlyCancels.delete(id);
    earlyCancels.set(executionId, now);
  });

  /** The compiled flow a job must run, or why this worker cannot run it. */
  const flowFor = (data: RunJobData): { flow: CompiledFlow } | { refuse: string } => {
    const own = ownFlows.get(data.flowId);
    if (own && own.hash === data.flowHash) return { flow: own };
    if (data.source !== undefined) {
      const cached = carried.get(data.flowHash);
      if (cached) return { flow: cached };
      const file = own?.file ?? data.flowFile ?? `${data.flowId}.flow.json`;
      const result = loadFlow(file.endsWith('.flow.json') ? file : `${data.flowId}.flow.json`, { text: data.source, registry: options.registry });
      if (!result.flow || hasErrors(result.diagnostics) || result.flow.hash !== data.flowHash) {
        return { refuse: `the definition it carries does not compile here` };
      }
      if (carried.size >= CARRIED_KEPT) carried.delete(carried.keys().next().value as string);
      gateSideEffects(result.flow, () => durable());
      carried.set(data.flowHash, result.flow);
      return { flow: result.flow };
    }
    if (!own) return { refuse: `this worker has no flow '${data.flowId}'` };
    return { refuse: `its version of ${own.file ?? data.flowId} (${own.hash.slice(0, 12)}) is not the one the run was started with (${data.flowHash.slice(0, 12)})` };
  };

  const processRun = async (job: Job<RunJobData>, token?: string): Promise<{ status: string }> => {
    const data = job.data;
    const dueAt = job.opts.prevMillis;
    const executionId = data.executionId ?? scheduledExecutionId(job.repeatJobKey ?? String(job.id), dueAt ?? job.timestamp);
    const found = flowFor(data);
    if ('refuse' in found) {
      const refusals = (data.refusals ?? 0) + 1;
      if (refusals >= maxRefusals) {
        const message = `Run ${executionId} of '${data.flowId}' was refused ${refusals} times: no worker has the version it was started with (${data.flowHash.slice(0, 12)}).`;
        log({ level: 'error', executionId, flowId: data.flowId, message: `${message} It is in the dead letter (weft status).` });
        throw new UnrecoverableError(`[flow-version-mismatch] ${message}`);
      }
      log({ level: 'warn', executionId, flowId: data.flowId, message: `Refused run ${executionId} of '${data.flowId}': ${found.refuse}; left for another worker (refusal ${refusals} of ${maxRefusals}).` });
      await job.updateData({ ...data, refusals });
      await job.moveToDelayed(Date.now() + refusalDelayMs, token);
      throw new DelayedError();
    }
    const flow = found.flow;

    // A job started before: resume from its checkpoint (or do nothing if it had ended).
    let resumeFrom: RunRecord | undefined = data.resumeFrom;
    let rerunFrom = data.rerunFrom;
    if (job.attemptsStarted > 1 || job.attemptsMade > 0 || job.stalledCounter > 0) {
      const saved = await redis.get(runKey(executionId));
      if (saved) {
        const record = JSON.parse(saved) as RunRecord;
        if (isTerminal(record.status) && record.status !== 'interrupted') return { status: record.status };
        resumeFrom = record;
        rerunFrom = undefined;
        log({ level: 'info', executionId, flowId: flow.id, message: `Resuming run ${executionId} of ${flow.id} from its checkpoint (attempt ${job.attemptsStarted}).` });
      }
    }

    const run: ActiveRun = { controller: new AbortController(), handedBack: false };
    active.set(executionId, run);
    if (earlyCancels.delete(executionId)) run.controller.abort(new WeftError('cancelled', 'The run was cancelled.'));
    try {
      const secrets = secretsFromEnvironment(flow.secretNames, secretSource);
      let record: RunRecord;
      try {
        record = await runFlow(flow, {
          executionId,
          input: data.input,
          trigger: dueAt !== undefined && data.trigger.type === 'schedule' ? { ...data.trigger, scheduledFor: new Date(dueAt).toISOString() } : data.trigger,
          secrets,
          signal: run.controller.signal,
          resumeFrom,
          rerunFrom,
          registry: options.registry,
          services: { circuits },
          onCheckpoint: (r) => checkpoints.save(r),
          onEvent: (event) => checkpoints.event(event, flow.id),
          maskInputKeys: data.maskInputKeys,
        });
      } catch (error) {
        // It could not start (its input does not match the flow's inputs): a final record says why.
        record = notStartedRecord(executionId, flow, data, error);
        await checkpoints.put(record);
        return { status: record.status };
      }
      if (run.handedBack) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      await checkpoints.flush();
      return { status: record.status };
    } finally {
      active.delete(executionId);
      if (run.handedBack) checkpoints.forget(executionId);
    }
  };

  // BullMQ does not close a connection it was given: close() does.
  const bullConnection = durableConnection(target, 'weft-worker-bullmq');
  const worker = new Worker<RunJobData, { status: string }>(QUEUE_NAME, processRun, {
    connection: bullConnection,
    prefix: QUEUE_PREFIX,
    concurrency,
    lockDuration: options.lockMs ?? DEFAULT_LOCK_MS,
    stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    maxStalledCount: MAX_STALLED_COUNT,
    autorun: true,
  });
  worker.on('error', (error) => log({ level: 'error', message: `Queue error: ${error.message}` }));
  worker.on('failed', (job, error) => {
    if (!job) return;
    const finalAttempt = error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    const executionId = job.data.executionId ?? scheduledExecutionId(job.repeatJobKey ?? String(job.id), job.opts.prevMillis ?? job.timestamp);
    if (!finalAttempt) {
      log({ level: 'warn', executionId, flowId: job.data.flowId, message: `Run ${executionId}: attempt ${job.attemptsMade} failed (${error.message}); retried with backoff.` });
      return;
    }
    const retry = `weft retry ${job.id} --queue ${shown}`;
    log({ level: 'error', executionId, flowId: job.data.flowId, message: `Run ${executionId} of ${job.data.flowId} is in the dead letter: ${error.message} (retry: ${retry})` });
    // The serves' histories say so too: the run is `interrupted` (as far as it got), and a retry resumes it.
    void deadLetterRecord(executionId, job.data, error, retry)
      .then((record) => checkpoints.put(record))
      .catch((failure: unknown) => log({ level: 'warn', executionId, message: `Could not record the dead letter of run ${executionId}: ${(failure as Error).message}` }));
  });

  const deadLetterRecord = async (executionId: string, data: RunJobData, error: Error, retry: string): Promise<RunRecord> => {
    const saved = await redis.get(runKey(executionId));
    const now = new Date().toISOString();
    const record: RunRecord = saved
      ? (JSON.parse(saved) as RunRecord)
      : { id: executionId, flowId: data.flowId, ...(data.flowFile ? { flowFile: data.flowFile } : {}), flowHash: data.flowHash, status: 'interrupted', mode: 'run', trigger: data.trigger, input: data.input, startedAt: now, nodes: {} };
    const mismatch = /^\[flow-version-mismatch\] /.exec(error.message);
    record.status = 'interrupted';
    record.finishedAt = now;
    record.error = {
      name: 'WeftError',
      code: mismatch ? 'flow-version-mismatch' : 'queue-unavailable',
      message: `${mismatch ? error.message.slice(mismatch[0].length) : error.message} It is in the queue's dead letter; ${retry} runs it again.`,
    };
    return record;
  };

  const heartbeat = (): void => {
    const beat: WorkerHeartbeat = { id, host: hostname(), pid: process.pid, concurrency, activeRuns: active.size, startedAt, lastHeartbeat: new Date().toISOString() };
    redis.set(workerKey(id), JSON.stringify(beat), 'EX', HEARTBEAT_TTL_SECONDS).catch(() => undefined);
  };
  heartbeat();
  const heartbeatTimer = setInterval(heartbeat, HEARTBEAT_MS);
  heartbeatTimer.unref();
  log({ level: 'info', message: `weft worker ${id}: ${ownFlows.size} flow${ownFlows.size === 1 ? '' : 's'}, ${concurrency} at a time, queue ${shown}` });

  let closing: Promise<{ handedBack: string[] }> | undefined;
  const close = (graceMs = DEFAULT_WORKER_GRACE_MS): Promise<{ handedBack: string[] }> => {
    closing ??= (async () => {
      const handedBack: string[] = [];
      const timer = setTimeout(() => {
        for (const [executionId, run] of active) {
          run.handedBack = true;
          checkpoints.drop(executionId);
          handedBack.push(executionId);
          run.controller.abort(new WeftError('cancelled', 'The worker stopped; another worker resumes the run.'));
        }
      }, graceMs);
      // BullMQ takes nothing new and waits for the jobs in flight (ended, or handed back above).
      await worker.close();
      clearTimeout(timer);
      clearInterval(heartbeatTimer);
      await checkpoints.flush().catch(() => undefined);
      await redis.del(workerKey(id)).catch(() => undefined);
      redis.disconnect();
      subscriber.disconnect();
      bullConnection.disconnect();
      return { handedBack };
    })();
    return closing;
  };

  return { id, activation, activeRuns: () => active.size, checkpointRoundTrips: () => checkpoints.roundTrips, close };
}

/**
 * Makes each top-level node with side effects wait, before it runs, for `durable` (every checkpoint made so far is
 * in Redis). The flow is this worker's own compiled copy: its nodes get a wrapped type, the shared type is untouched.
 */
function gateSideEffects(flow: CompiledFlow, durable: () => Promise<void>): void {
  for (const node of flow.graph.nodes) {
    const type = node.type;
    if (!type.sideEffect) continue;
    node.type = {
      ...type,
      run: async (ctx) => {
        await durable();
        return type.run(ctx);
      },
    };
  }
}

/** The final record of a run that could not start. */
function notStartedRecord(executionId: string, flow: CompiledFlow, data: RunJobData, error: unknown): RunRecord {
  const now = new Date().toISOString();
  return {
    id: executionId,
    flowId: flow.id,
    ...(flow.file ? { flowFile: flow.file } : {}),
    flowHash: flow.hash,
    status: 'failed',
    mode: 'run',
    trigger: data.trigger,
    input: data.input,
    error: serializeError(error),
    startedAt: now,
    finishedAt: now,
    durationMs: 0,
    nodes: {},
  };
}
