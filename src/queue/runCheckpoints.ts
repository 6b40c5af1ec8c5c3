// A worker's checkpoints (spec section 15): where runFlow's checkpoints and events go in queue mode instead of a
// history directory. For each run it keeps the newest record under `weft:run:<id>` (what another worker resumes
// from after this one dies) and appends its events, with the record as it is then, to the `weft:events` stream
// that every `serve --queue` relays into its own history and event hub.
//
// Why coalesced: a checkpoint per node boundary as its own round trip would cost more Redis round trips than the
// run has nodes. Everything saved or emitted during one event-loop turn, by every run of this worker, goes in ONE
// pipelined round trip at the end of the turn (setImmediate): a run of fast nodes costs one or two, a busy worker
// folds many runs into each. A save resolves when the pipeline holding that state (or a newer one) has executed.
//
// The final record is the exception: its save resolves at once, so the engine goes on to emit its final event in
// the same turn and both leave in one round trip; the worker awaits `flush()` before it tells BullMQ the job is
// done, so a job is never completed before its final record is in Redis.

import type { Redis } from 'ioredis';
import { deferred, type Deferred } from '../engine/history/deferred';
import { serializeRecord } from '../engine/history/serializeRecord';
import type { EngineEvent } from '../engine/run/events';
import { isTerminal, type RunRecord } from '../engine/run/runRecord';
import { EVENTS_STREAM, EVENTS_STREAM_MAX, runKey, RUN_KEY_TTL_SECONDS } from './queueKeys';

/** Values over this are cut in what goes to Redis, as history cuts them (serializeRecord). */
const MAX_VALUE_BYTES = 256 * 1024;

interface Pending {
  flowId: string;
  record: RunRecord | undefined;
  events: EngineEvent[];
}

const RESOLVED = Promise.resolve();

export class RunCheckpoints {
  private pending = new Map<string, Pending>();
  private batch: Deferred | undefined;
  private writing: Promise<void> = RESOLVED;
  /** Runs whose further checkpoints are dropped (handed back to the queue while winding down). */
  private readonly dropped = new Set<string>();
  /** Round trips made (one per pipeline), for the benchmark's budget. */
  roundTrips = 0;

  constructor(private readonly redis: Redis) {}

  /** runFlow's onCheckpoint: the run's newest state. */
  save(record: RunRecord): Promise<void> {
    if (this.dropped.has(record.id)) return RESOLVED;
    this.entry(record.id, record.flowId).record = record;
    const written = this.schedule();
    return isTerminal(record.status) ? RESOLVED : written;
  }

  /** runFlow's onEvent. */
  event(event: EngineEvent, flowId: string): void {
    if (this.dropped.has(event.executionId)) return;
    this.entry(event.executionId, flowId).events.push(event);
    void this.schedule().catch(() => undefined);
  }

  /** A record written outside a run (a run that could not start, a dead letter), with the events given. */
  put(record: RunRecord, events: EngineEvent[] = []): Promise<void> {
    const entry = this.entry(record.id, record.flowId);
    entry.record = record;
    entry.events.push(...events);
    return this.schedule();
  }

  /** Stops recording a run: what it saved so far stays, later saves and events are ignored. */
  drop(executionId: string): void {
    this.dropped.add(executionId);
  }

  /** Forgets a dropped run once its job has been handed back (bounded memory). */
  forget(executionId: string): void {
    this.dropped.delete(executionId);
  }

  /** Resolves once everything saved before the call is in Redis; rejects if that write failed. */
  flush(): Promise<void> {
    if (this.batch) return this.batch.promise;
    return this.writing;
  }

  private entry(executionId: string, flowId: string): Pending {
    let entry = this.pending.get(executionId);
    if (!entry) this.pending.set(executionId, (entry = { flowId, record: undefined, events: [] }));
    return entry;
  }

  private schedule(): Promise<void> {
    if (this.batch) return this.batch.promise;
    const batch = deferred();
    this.batch = batch;
    setImmediate(() => {
      // One pipeline at a time, in order: a run's stream entries must not overtake each other.
      const previous = this.writing;
      this.writing = previous
        .catch(() => undefined)
        .then(() => {
          this.batch = undefined;
          const runs = this.pending;
          this.pending = new Map();
          return this.write(runs);
        });
      this.writing.then(batch.resolve, batch.reject);
    });
    return batch.promise;
  }

  private async write(runs: Map<string, Pending>): Promise<void> {
    if (runs.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [executionId, entry] of runs) {
      const fields: string[] = ['r', executionId, 'f', entry.flowId];
      if (entry.record) {
        const json = serializeRecord(entry.record, MAX_VALUE_BYTES).json;
        pipeline.set(runKey(executionId), json, 'EX', RUN_KEY_TTL_SECONDS);
        fields.push('c', json);
      }
      if (entry.events.length > 0) fields.push('e', JSON.stringify(entry.events));
      pipeline.xadd(EVENTS_STREAM, 'MAXLEN', '~', EVENTS_STREAM_MAX, '*', ...fields);
    }
    this.roundTrips++;
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('The Redis pipeline did not run.');
  }
}
