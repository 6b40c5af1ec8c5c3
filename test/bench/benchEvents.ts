// `npm run bench` (last part): the live event stream's latency, from the engine emitting an event to a WebSocket
// client having it parsed, at 100 subscribers and 100 runs per second (issue 11: p99 under 10 ms).
//
// The server (startLiveServer, history on, in a temporary directory) runs in this thread; the 100 WebSocket
// clients and the load (100 POST /_weft/runs per second, keep-alive) run in a worker thread, so the clients' own
// work is not the server's. The time an event is published is taken in this thread as the hub publishes it
// (the engine's onEvent), the time it arrives in the worker once the client parsed it; both are
// `performance.timeOrigin + performance.now()`, the same clock. Prints the numbers and the budget; never fails.

import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { EngineEvent } from '../../src/engine/run/events';
import { startLiveServer } from '../../src/live/liveServer';
import { writeStepsFlow } from '../support/stepsFlow';

const SUBSCRIBERS = 100;
const RUNS_PER_SECOND = 100;
const WARMUP_MS = 2000;
const MEASURED_MS = 8000;
const BUDGET_P99_MS = 10;

interface WorkerInput {
  url: string;
}

interface WorkerResult {
  /** Per sample: the event's `n` (its cursor's number) and when the client had it. */
  n: Float64Array;
  at: Float64Array;
  count: number;
  started: number;
  refused: number;
  closed: number;
}

const now = (): number => performance.timeOrigin + performance.now();

function cursorNumber(cursor: string): number {
  return Number(cursor.slice(cursor.lastIndexOf('.') + 1));
}

async function clients(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  const capacity = Math.ceil(((WARMUP_MS + MEASURED_MS) / 1000 + 5) * RUNS_PER_SECOND * 8 * SUBSCRIBERS * 1.2);
  const n = new Float64Array(capacity);
  const at = new Float64Array(capacity);
  let count = 0;
  let closed = 0;
  const sockets = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, () => {
      const ws = new WebSocket(`${input.url.replace(/^http/, 'ws')}/_weft/events?flow=steps`, { skipUTF8Validation: true });
      ws.on('message', (data: Buffer) => {
        // The cursor is the message's last field: read from its tail, so that 100 clients in one thread measure
        // the server rather than their own JSON parsing.
        const tail = data.toString('latin1', Math.max(0, data.length - 48));
        if (count < capacity) {
          n[count] = cursorNumber(/"cursor":"([^"]+)"\}$/.exec(tail)![1]);
          at[count] = now();
          count++;
        }
      });
      ws.on('close', () => closed++);
      return new Promise<WebSocket>((resolve, reject) => {
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    }),
  );
  // The load: one run every 10 ms, whatever the answers take.
  const agent = new Agent({ keepAlive: true, maxSockets: 20 });
  const url = new URL(input.url);
  let started = 0;
  let refused = 0;
  const body = JSON.stringify({ flow: 'steps', input: { n: 1 } });
  const startOne = (): void => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, path: '/_weft/runs', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        if (response.statusCode === 202) started++;
        else refused++;
      },
    );
    request.on('error', () => refused++);
    request.end(body);
  };
  const begin = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - begin) / 1000) * RUNS_PER_SECOND);
      while (sent < due) {
        startOne();
        sent++;
      }
      if (performance.now() - begin >= WARMUP_MS + MEASURED_MS) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  // Let the last runs' events arrive.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const ws of sockets) ws.close();
  agent.destroy();
  const result: WorkerResult = { n: n.slice(0, count), at: at.slice(0, count), count, started, refused, closed };
  port.postMessage(result);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-bench-events-'));
  await writeStepsFlow(dir);
  const history = HistoryStore.open({ dir: join(dir, '.weft') });
  const server = await startLiveServer({ dir, port: 0, history, rateLimit: 0, eventBufferEvents: 100_000 });
  // When each event was published, by its cursor's number: taken as the hub publishes it (the engine's onEvent).
  const publishedAt: number[] = [];
  const hub = server.events;
  const publish = hub.publish.bind(hub);
  // The server's own share: from publishing to the turn's end, when the sockets are written (eventSocket.ts
  // flushes on setImmediate; one registered here after it runs just after it).
  const writtenAfter: number[] = [];
  hub.publish = (event: EngineEvent, flowId: string) => {
    const t = now();
    const entry = publish(event, flowId);
    publishedAt[entry.n] = t;
    setImmediate(() => writtenAfter.push(now() - t));
    return entry;
  };

  console.log(`\nWeft event stream benchmark · node ${process.version} · ${SUBSCRIBERS} WebSocket subscribers, ${RUNS_PER_SECOND} runs/s of a 3-node flow (8 events a run), ${MEASURED_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up\n`);
  const result = await new Promise<WorkerResult>((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { url: server.url } satisfies WorkerInput });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const stats = hub.stats();
  const written = Float64Array.from(writtenAfter.slice(Math.floor(writtenAfter.length * (WARMUP_MS / (WARMUP_MS + MEASURED_MS))))).sort();
  await server.close({ graceMs: 5000 });
  await history.close();
  await rm(dir, { recursive: true, force: true });

  // Samples of events published after the warm-up only.
  const firstAt = publishedAt.find((t) => t !== undefined) ?? 0;
  const latencies: number[] = [];
  for (let i = 0; i < result.count; i++) {
    const published = publishedAt[result.n[i]];
    if (published === undefined || published - firstAt < WARMUP_MS) continue;
    latencies.push(result.at[i] - published);
  }
  const sorted = Float64Array.from(latencies).sort();
  const events = stats.published;
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  console.log('subscribers   runs/s   runs started   events   messages measured   latency p50   p99       max       dropped clients');
  console.log(
    `${String(SUBSCRIBERS).padStart(11)}   ${String(RUNS_PER_SECOND).padStart(6)}   ${String(result.started).padStart(12)}   ${String(events).padStart(6)}   ${String(sorted.length).padStart(17)}   ${`${p50.toFixed(2)} ms`.padStart(11)}   ${`${p99.toFixed(2)} ms`.padEnd(8)}  ${`${percentile(sorted, 100).toFixed(2)} ms`.padEnd(8)}  ${stats.dropped}`,
  );
  console.log(`server side, publish to socket write: p50 ${percentile(written, 50).toFixed(2)} ms, p99 ${percentile(written, 99).toFixed(2)} ms (the rest is the clients' thread and the OS)`);
  if (result.refused > 0) console.log(`(${result.refused} run starts were refused)`);
  console.log(`\nbudget: event latency p99 < ${BUDGET_P99_MS} ms at ${SUBSCRIBERS} subscribers and ${RUNS_PER_SECOND} runs/s: ${p99 < BUDGET_P99_MS ? 'within budget' : 'OVER budget'}`);
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  clients(workerData as WorkerInput).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
