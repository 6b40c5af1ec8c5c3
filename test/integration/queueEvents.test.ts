// Queue mode's events and records (spec sections 14 and 15), in process: `startLiveServer` with queue mode and a
// worker (startQueueWorker) on a real Redis. Every event of a run executed on the worker reaches the serve's event
// hub, in order (seq 1, 2, 3, ...) and once, and its record lands in the serve's history; the worker's checkpoints
// cost a bounded number of Redis round trips per run; a waiting run can be cancelled.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { EngineEvent } from '../../src/engine/run/events';
import { activateFlows } from '../../src/live/activateFlows';
import { startLiveServer, type LiveServer } from '../../src/live/liveServer';
import { queueMode } from '../../src/queue/queueMode';
import { startQueueWorker, type QueueWorker } from '../../src/queue/queueWorker';
import { startRedis, type RedisServer } from '../support/redisServer';
import { waitFor } from './runCli';
import { load } from './queueHarness';

const fiveNodes = {
  version: 1,
  id: 'five',
  triggers: [{ type: 'webhook', path: 'five', respond: 'ack' }],
  nodes: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, type: 'transform', config: { output: { n: '{{ input.n }}', at: id } } })),
  edges: ['b', 'c', 'd', 'e'].map((id, i) => ({ from: ['a', 'b', 'c', 'd'][i], to: id })),
};

const slowFlow = {
  version: 1,
  id: 'slow',
  triggers: [{ type: 'webhook', path: 'slow', respond: 'ack' }],
  nodes: [
    { id: 'first', type: 'transform', config: { output: { n: '{{ input.n }}' } } },
    { id: 'pause', type: 'wait', config: { ms: 1500 } },
    { id: 'last', type: 'transform', config: { output: 'done' } },
  ],
  edges: [
    { from: 'first', to: 'pause' },
    { from: 'pause', to: 'last' },
  ],
};

describe('queue mode: events and records reach the serve', () => {
  let redis: RedisServer;
  let dir: string;
  let history: HistoryStore;
  let server: LiveServer | undefined;
  let worker: QueueWorker | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    dir = await mkdtemp(join(tmpdir(), 'weft-queue-events-'));
    await mkdir(join(dir, 'flows'));
    await writeFile(join(dir, 'flows', 'five.flow.json'), JSON.stringify(fiveNodes));
    await writeFile(join(dir, 'flows', 'slow.flow.json'), JSON.stringify(slowFlow));
    history = HistoryStore.open({ dir: join(dir, '.weft') });
  }, 60_000);

  afterAll(async () => {
    await worker?.close(0).catch(() => undefined);
    await server?.close({ graceMs: 0 }).catch(() => undefined);
    await history?.close().catch(() => undefined);
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('a waiting run is cancelled and recorded cancelled; 200 webhook runs and one from the run API on a worker publish every event to the hub in order, once, and cost few Redis round trips', async () => {
    // ARRANGE: no worker yet, so a first run (started through queue mode's dispatcher, as the run API does) waits
    const activation = activateFlows(join(dir, 'flows'));
    const other = HistoryStore.open({ dir: join(dir, '.weft-other') });
    const mode = await queueMode(redis.url)({ history: other, activation, publish: () => undefined, log: () => undefined, onEnqueue: () => undefined });
    const waiting = mode.dispatcher.start(activation.served[0].flow, { input: { n: 0 }, trigger: { type: 'manual' }, secrets: {}, durableStart: true });
    await waiting.firstCheckpoint;
    const waitingId = waiting.executionId;
    const cancelled = await mode.dispatcher.cancel(waitingId, 'Not needed.');
    const cancelledRecord = await waiting.done;
    await mode.close();
    await other.close();
    server = await startLiveServer({ dir: join(dir, 'flows'), port: 0, history, rateLimit: 0, queue: queueMode(redis.url) });
    const seen = new Map<string, EngineEvent[]>();
    server.events.subscribe({
      filter: {},
      from: { kind: 'now' },
      onEntry: (entry) => {
        const event = JSON.parse(entry.json) as EngineEvent;
        const list = seen.get(event.executionId) ?? [];
        list.push(event);
        seen.set(event.executionId, list);
      },
    });
    // ACT
    worker = await startQueueWorker({ paths: [join(dir, 'flows')], url: redis.url, concurrency: 10 });
    const replies = await load(server.url, '/hooks/five', 200, 20);
    const viaApi = await fetch(`${server.url}/_weft/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ flow: 'five', input: { n: 7 } }) });
    const apiRun = (await viaApi.json()) as { executionId: string };
    const ids = [...replies.map((reply) => (reply.json as { executionId: string }).executionId), apiRun.executionId];
    await waitFor('every run to end with its final event in the hub', async () => (ids.every((id) => seen.get(id)?.at(-1)?.type === 'execution.completed') ? true : undefined), 60_000, 50);
    const records = await Promise.all(ids.map((id) => history.get(id)));
    // ASSERT
    expect(viaApi.status).toBe(202);
    expect(cancelled).toBe('cancelled');
    expect(cancelledRecord.status).toBe('cancelled');
    expect(cancelledRecord.error?.message).toBe('Not needed.');
    expect(seen.has(waitingId)).toBe(false);
    for (const id of ids) {
      const events = seen.get(id)!;
      expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events[0].type).toBe('execution.started');
      expect(events.filter((event) => event.type === 'node.completed')).toHaveLength(5);
    }
    expect(records.every((record) => record?.status === 'completed')).toBe(true);
    // The worker's own writes: at most one pipeline per node boundary, and fewer under load (shared per turn).
    expect(worker.checkpointRoundTrips() / ids.length).toBeLessThanOrEqual(6);
  }, 120_000);

  it('a worker stopped past its grace hands its run back, and another worker resumes it from the checkpoint with the same execution id', async () => {
    // ARRANGE: the earlier test's worker is gone; this one is the only worker when the run starts
    await worker?.close(0);
    worker = undefined;
    const flows = join(dir, 'flows');
    const first = await startQueueWorker({ paths: [flows], url: redis.url, concurrency: 2 });
    const [reply] = await load(server!.url, '/hooks/slow', 1, 1);
    const executionId = (reply.json as { executionId: string }).executionId;
    await waitFor('the run to be waiting in its pause node', async () => ((await history.get(executionId))?.nodes.pause.status === 'running' ? true : undefined), 30_000, 25);
    // ACT
    const { handedBack } = await first.close(0);
    const second = await startQueueWorker({ paths: [flows], url: redis.url, concurrency: 2 });
    const record = await waitFor('the resumed run to complete', async () => {
      const saved = await history.get(executionId);
      return saved?.status === 'completed' ? saved : undefined;
    }, 30_000, 50);
    await second.close(0);
    // ASSERT
    expect(handedBack).toEqual([executionId]);
    expect(record.id).toBe(executionId);
    expect(record.nodes.first.reused).toBe(true);
    expect(record.nodes.pause.status).toBe('completed');
    expect(record.output).toBe('done');
  }, 120_000);
});
